package io.attune.worker.adapter.local.runner;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user actions run as, as configured: a user name (or {@code UID:GID}), or nothing for the default, which is
 * {@value #UNPRIVILEGED} when the worker runs as root and the worker's own user otherwise.
 *
 * <p>Only a root worker can switch users; the action launcher does it, and keeps the worker's user for itself so
 * that it can end the action's whole process tree. Running actions as root takes naming {@code root} explicitly,
 * and still warns: an action running as root can read the worker's credentials.
 *
 * @param name the configured user, empty for the default
 */
public record ActionUser(Optional<String> name) {

  /** Who actions of a root worker run as unless configured otherwise. */
  public static final String UNPRIVILEGED = "nobody";

  /** A login name as useradd accepts it, or numeric {@code UID:GID} for a user that /etc/passwd does not list. */
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?|\\d{1,10}:\\d{1,10}");

  public ActionUser {
    Objects.requireNonNull(name, "name");
    name.ifPresent(n -> {
      if (!USER.matcher(n).matches()) {
        throw new IllegalArgumentException("action user '" + n + "' is neither a user name nor UID:GID");
      }
    });
  }

  /** The default: {@value #UNPRIVILEGED} for a root worker, else the worker's own user. */
  public static ActionUser byDefault() {
    return new ActionUser(Optional.empty());
  }

  /** A named user ({@code root} runs actions as root when the worker is root). */
  public static ActionUser named(String name) {
    return new ActionUser(Optional.of(name));
  }

  /**
   * The configured value as written (such as the {@code ATTUNE_ACTION_USER} environment variable): absent or blank
   * means the default.
   *
   * @throws IllegalArgumentException when it is neither a user name nor {@code UID:GID}
   */
  public static ActionUser fromSetting(String value) {
    return value == null || value.isBlank() ? byDefault() : named(value.strip());
  }

  /** Who actions of this process, the worker, run as: the user the launcher switches to, if any. */
  public Optional<String> switchedToByThisWorker() {
    WorkerAccount worker = WorkerAccount.current();
    return choose(worker.uid(), worker.name()).switchTo();
  }

  /**
   * Who actions of a worker with this user id and name actually run as: the user to switch to, if any, and a warning
   * where the outcome deserves one.
   */
  public Choice choose(long workerUid, String workerName) {
    boolean root = workerUid == 0;
    if (name.isEmpty()) {
      return root ? new Choice(Optional.of(UNPRIVILEGED), Optional.empty()) : Choice.OWN;
    }
    String user = name.get();
    if (root && (user.equals("root") || user.equals("0:0"))) {
      return new Choice(Optional.empty(), Optional.of("actions run as root, as configured: they can read everything "
          + "the worker can, its credentials included; configure an unprivileged user unless they truly need root"));
    }
    if (root) {
      return new Choice(Optional.of(user), Optional.empty());
    }
    if (user.equals(workerName)) {
      return Choice.OWN;
    }
    return new Choice(Optional.empty(), Optional.of("action user '" + user + "' is ignored: the worker runs as "
        + workerName + " (uid " + workerUid + "), not as root, and cannot switch users; actions run as "
        + workerName));
  }

  /**
   * The user actions run as, once the worker's own user is known.
   *
   * @param switchTo the user the launcher switches to; empty when actions run as the worker's own user
   * @param warning what an operator should know about this choice
   */
  public record Choice(Optional<String> switchTo, Optional<String> warning) {
    static final Choice OWN = new Choice(Optional.empty(), Optional.empty());

    public Choice {
      Objects.requireNonNull(switchTo, "switchTo");
      Objects.requireNonNull(warning, "warning");
    }
  }
}
