/** Reading packs from disk: action YAML files, the placement rules inside them, and the runtimes a pack.yaml defines. */
package io.attune.worker.adapter.cli.packs;
