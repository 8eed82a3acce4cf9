/** Reading packs from disk: action YAML files and the placement rules inside them. */
package io.attune.worker.adapter.cli.packs;
