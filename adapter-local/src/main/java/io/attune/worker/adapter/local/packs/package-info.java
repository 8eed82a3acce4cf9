/** Reading packs from disk: action files, their placement rules, and the runtimes a pack.yaml defines. */
package io.attune.worker.adapter.local.packs;
