// Greets: reads the parameters as one JSON object on standard input and prints a JSON result.
let raw = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { raw += chunk; });
process.stdin.on('end', () => {
  const params = raw.trim() ? JSON.parse(raw) : {};
  const name = params.name || 'world';
  const result = { greeting: `hello, ${name}`, runtime: 'node', version: process.versions.node };
  console.log(JSON.stringify(result, null, 2));
});
