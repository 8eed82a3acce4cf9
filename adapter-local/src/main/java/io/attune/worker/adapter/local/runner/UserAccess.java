package io.attune.worker.adapter.local.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether another user may run a file, judged from the POSIX permissions of the file and of every folder on its real
 * path: what a worker that runs its actions as another user needs to know before it offers an interpreter that only
 * it can reach (a {@code pyenv} shim under {@code /root}, say).
 *
 * @param uid the user's id
 * @param gids its primary group and the groups that list it
 */
public record UserAccess(long uid, Set<Long> gids) {

  private static final Path PASSWD = Path.of("/etc/passwd");
  private static final Path GROUP = Path.of("/etc/group");
  /** The execute bit of a file, which is the search bit of a folder, in each of owner, group and others. */
  private static final int EXECUTE = 0b001;
  private static final int READ = 0b100;

  public UserAccess {
    gids = Set.copyOf(gids);
  }

  /**
   * The access of a user named as {@code ATTUNE_ACTION_USER} names it: a login name from {@code /etc/passwd} (with its
   * groups from {@code /etc/group}), or {@code UID:GID}; empty when it cannot be told.
   */
  public static Optional<UserAccess> of(String user) {
    if (user.matches("\\d{1,10}:\\d{1,10}")) {
      String[] ids = user.split(":");
      return Optional.of(new UserAccess(Long.parseLong(ids[0]), Set.of(Long.parseLong(ids[1]))));
    }
    try {
      for (String line : Files.readAllLines(PASSWD)) {
        String[] fields = line.split(":", -1);
        if (fields.length >= 4 && fields[0].equals(user)) {
          Set<Long> gids = new HashSet<>(Set.of(Long.parseLong(fields[3])));
          gids.addAll(groupsListing(user));
          return Optional.of(new UserAccess(Long.parseLong(fields[2]), gids));
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Set<Long> groupsListing(String user) throws IOException {
    Set<Long> gids = new HashSet<>();
    if (!Files.isReadable(GROUP)) {
      return gids;
    }
    for (String line : Files.readAllLines(GROUP)) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 4 && List.of(fields[3].split(",")).contains(user)) {
        gids.add(Long.parseLong(fields[2]));
      }
    }
    return gids;
  }

  /** True when this user may execute the file: execute permission on it and search permission on every folder. */
  public boolean canExecute(Path file) {
    return reaches(file, EXECUTE);
  }

  /** True when this user may list and enter the folder: read and search permission on it, search on those above. */
  public boolean canReadFolder(Path folder) {
    return reaches(folder, READ | EXECUTE);
  }

  /** Whether this user has these permissions on the real path, and search permission on every folder above it. */
  private boolean reaches(Path path, int permissions) {
    if (uid == 0) {
      return true;
    }
    try {
      Path real = path.toRealPath();
      if (!allows(real, permissions)) {
        return false;
      }
      for (Path above = real.getParent(); above != null; above = above.getParent()) {
        if (!allows(above, EXECUTE)) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException unknown) {
      return false;
    }
  }

  /** Whether all these permission bits ({@link #READ}, {@link #EXECUTE}) apply to this user on the path. */
  private boolean allows(Path path, int permissions) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    long owner = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    long group = ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
    int shift = owner == uid ? 6 : gids.contains(group) ? 3 : 0;
    return ((mode >> shift) & permissions) == permissions;
  }
}
