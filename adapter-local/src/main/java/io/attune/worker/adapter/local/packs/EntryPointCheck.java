package io.attune.worker.adapter.local.packs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The one rule for where an action's entry point may lie, applied when its pack is read and again by the runner just
 * before it starts (the files may have changed in between): the path, resolved in the actions folder and
 * normalized, lies inside the pack folder and is a regular file, and its real path (links followed) lies inside the
 * pack's real folder: a link in the pack must not run, or feed to an interpreter, a file the pack does not hold (such
 * as /etc/shadow). Each caller words the verdict for its reader.
 *
 * @param verdict whether the entry point may run, or which part of the rule it breaks
 * @param path the entry point resolved and normalized; null when {@link Verdict#UNUSABLE_PATH}
 * @param real its real path, and {@code realPack} the pack's; set for {@link Verdict#LINKS_OUT_OF_THE_PACK} and
 *     {@link Verdict#INSIDE}
 * @param cause what made the path unusable or unresolvable
 */
public record EntryPointCheck(Verdict verdict, Path path, Path real, Path realPack, Exception cause) {

  /** Where the entry point stands against the rule, in the order the rule checks. */
  public enum Verdict {
    /** Not a path this file system can hold ({@link InvalidPathException}). */
    UNUSABLE_PATH,
    /** Outside the pack folder once normalized ({@code ..}). */
    ESCAPES_THE_PACK,
    /** Missing, or not a regular file. */
    NOT_A_FILE,
    /** Its real path or the pack's could not be found ({@link IOException}). */
    UNRESOLVABLE,
    /** A link, or a path through one, that leads outside the pack's real folder. */
    LINKS_OUT_OF_THE_PACK,
    /** Inside the pack: it may run. */
    INSIDE
  }

  /**
   * Checks {@code entryPoint} as written in the action file.
   *
   * @param actionsDirectory the folder it is resolved in
   * @param packDirectory the pack's folder, which it must not leave
   */
  public static EntryPointCheck of(Path actionsDirectory, Path packDirectory, String entryPoint) {
    Path path;
    try {
      path = actionsDirectory.resolve(entryPoint).normalize();
    } catch (InvalidPathException unusable) {
      return new EntryPointCheck(Verdict.UNUSABLE_PATH, null, null, null, unusable);
    }
    if (!path.startsWith(packDirectory.normalize())) {
      return new EntryPointCheck(Verdict.ESCAPES_THE_PACK, path, null, null, null);
    }
    if (!Files.isRegularFile(path)) {
      return new EntryPointCheck(Verdict.NOT_A_FILE, path, null, null, null);
    }
    // what counts is where the path really leads, and the pack folder's real place, should the pack be linked in
    Path real;
    Path realPack;
    try {
      real = path.toRealPath();
      realPack = packDirectory.toRealPath();
    } catch (IOException unresolvable) {
      return new EntryPointCheck(Verdict.UNRESOLVABLE, path, null, null, unresolvable);
    }
    return new EntryPointCheck(real.startsWith(realPack) ? Verdict.INSIDE : Verdict.LINKS_OUT_OF_THE_PACK, path, real,
        realPack, null);
  }
}
