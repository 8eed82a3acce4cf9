let input = '';
process.stdin.on('data', d => input += d);
process.stdin.on('end', () => {
  const params = JSON.parse(input || '{}');
  const seconds = params.seconds ?? 1;
  setTimeout(() => console.log(JSON.stringify({slept: seconds, execution: process.env.ATTUNE_EXECUTION_ID})),
    seconds * 1000);
});
