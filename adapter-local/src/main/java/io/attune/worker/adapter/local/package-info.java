/**
 * The local machine, as the worker core needs it: {@code probe} asks the runtime binaries on the {@code PATH} for
 * their versions (and {@code nvidia-smi} for GPUs), {@code runner} runs actions as child processes, {@code packs}
 * reads the packs folder, and {@code process} holds the steps of running a local child that both share. All of it is
 * outbound: the core drives it through its ports.
 */
package io.attune.worker.adapter.local;
