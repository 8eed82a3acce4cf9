/*
 * attune-launch: runs one action so that everything the action starts ends with it.
 *
 *   attune-launch [--user NAME|UID:GID] [--grace-ms N] [--parent PID] [--chdir DIR] -- PROGRAM [ARG]...
 *   attune-launch --version
 *
 * Why a launcher at all: the JVM sees an action's processes only through their parent links, and a process that
 * daemonises (double fork, setsid) cuts that link; a worker killed with SIGKILL cleans up nothing. This launcher
 * makes itself a child subreaper, so every orphan of the action is re-parented to it rather than to init, and it
 * stays until the whole tree is gone. ProcessActionRunner starts every action through it.
 *
 *   - PROGRAM runs in a session of its own, with the launcher's environment and standard streams, in DIR, and as
 *     NAME when --user is given (DIR is entered after the switch, so the user's own rights are checked). The
 *     launcher keeps the worker's user: it must be able to signal the whole tree.
 *   - When PROGRAM exits, whatever it left behind is killed, and the launcher exits with PROGRAM's status.
 *   - SIGTERM, SIGINT or SIGHUP (the worker's timeout or cancel): SIGTERM to PROGRAM's process group and to every
 *     descendant, SIGKILL to what is left after the grace period (--grace-ms, default 5000). A second such signal
 *     ends the grace period at once.
 *   - When the parent (--parent, else the parent at start) goes away, even killed by SIGKILL, the whole tree is
 *     killed at once: nobody is left to collect the outcome, and the execution is retried elsewhere. The parent is
 *     polled: PR_SET_PDEATHSIG would fire when the parent's *thread* that started us ends, not its process.
 *
 * Exit status:
 *   0..255  PROGRAM's own status; 128+N when signal N ended it (as a shell reports it)
 *   143     asked to stop: everything ended within the grace period
 *   137     asked to stop, and something was still running after the grace period and was killed; or the parent
 *           went away and the tree was killed
 *   125     the launcher itself failed: wrong arguments, or a system call it needs (prctl, fork) failed
 *   126     PROGRAM could not be prepared or run: unknown user, switching user failed, DIR cannot be entered,
 *           PROGRAM is not executable
 *   127     PROGRAM was not found
 * The launcher's own messages go to standard error, prefixed "attune-launch: ".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VERSION "attune-launch 1"
#define USAGE \
  "usage: attune-launch [--user NAME|UID:GID] [--grace-ms N] [--parent PID] [--chdir DIR] -- PROGRAM [ARG]..."
#define EXIT_LAUNCHER 125
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND 127
#define EXIT_KILLED (128 + SIGKILL)
#define EXIT_STOPPED (128 + SIGTERM)
#define POLL_MILLIS 100
/* How long killing the tree may take before the launcher gives up on what it may not signal (a setuid program
 * started by an action of a non-root worker). */
#define KILL_PATIENCE_MILLIS 10000
#define MAX_GROUPS 256

struct user {
  const char *name;
  uid_t uid;
  gid_t gid;
  gid_t groups[MAX_GROUPS];
  int group_count;
};

struct pids {
  pid_t *items;
  size_t count, capacity;
};

__attribute__((format(printf, 1, 0))) static void say(const char *format, va_list args) {
  fputs("attune-launch: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

__attribute__((format(printf, 2, 3))) static _Noreturn void fail(int status, const char *format, ...) {
  va_list args;
  va_start(args, format);
  say(format, args);
  va_end(args);
  exit(status);
}

/* Between fork and exec: _exit, so that nothing of the launcher's (atexit, buffers) runs twice. */
__attribute__((format(printf, 2, 3))) static _Noreturn void child_fail(int status, const char *format, ...) {
  va_list args;
  va_start(args, format);
  say(format, args);
  va_end(args);
  _exit(status);
}

static bool parse_number(const char *text, unsigned long max, unsigned long *value) {
  char *end;
  if (!isdigit((unsigned char) text[0])) {
    return false;  /* strtoul would take leading blanks and a minus sign */
  }
  errno = 0;
  *value = strtoul(text, &end, 10);
  return errno == 0 && *end == '\0' && *value <= max;
}

static long long millis_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * The user to run PROGRAM as, read straight from /etc/passwd and /etc/group: a statically linked glibc cannot load
 * the NSS modules (LDAP, sssd) that getpwnam would consult. A user known only there is given as UID:GID.
 */
static void resolve_user(const char *spec, struct user *user) {
  unsigned long uid, gid;
  char copy[64];
  user->name = spec;
  user->group_count = 0;
  if (strchr(spec, ':') != NULL) {
    snprintf(copy, sizeof copy, "%s", spec);
    char *colon = strchr(copy, ':');
    *colon = '\0';
    if (!parse_number(copy, 0xfffffffeUL, &uid) || !parse_number(colon + 1, 0xfffffffeUL, &gid)) {
      fail(EXIT_LAUNCHER, "--user %s: expected a user name or UID:GID", spec);
    }
    user->uid = (uid_t) uid;
    user->gid = (gid_t) gid;
    user->groups[user->group_count++] = user->gid;
    return;
  }
  FILE *passwd = fopen("/etc/passwd", "re");
  if (passwd == NULL) {
    fail(EXIT_CANNOT_RUN, "cannot read /etc/passwd to look up user %s: %s", spec, strerror(errno));
  }
  struct passwd *entry;
  bool found = false;
  while (!found && (entry = fgetpwent(passwd)) != NULL) {
    if (strcmp(entry->pw_name, spec) == 0) {
      user->uid = entry->pw_uid;
      user->gid = entry->pw_gid;
      found = true;
    }
  }
  fclose(passwd);
  if (!found) {
    fail(EXIT_CANNOT_RUN, "no user %s in /etc/passwd (a user known elsewhere can be given as UID:GID)", spec);
  }
  user->groups[user->group_count++] = user->gid;
  FILE *groups = fopen("/etc/group", "re");
  struct group *group;
  while (groups != NULL && (group = fgetgrent(groups)) != NULL) {
    for (char **member = group->gr_mem; *member != NULL; member++) {
      if (strcmp(*member, spec) == 0 && group->gr_gid != user->gid) {
        if (user->group_count == MAX_GROUPS) {
          fail(EXIT_CANNOT_RUN, "user %s is in more than %d groups", spec, MAX_GROUPS);
        }
        user->groups[user->group_count++] = group->gr_gid;
      }
    }
  }
  if (groups != NULL) {
    fclose(groups);
  }
}

/* Groups, then group, then user: each later step takes away the right to do the earlier ones. */
static void become(const struct user *user) {
  if (setgroups((size_t) user->group_count, user->groups) != 0) {
    child_fail(EXIT_CANNOT_RUN, "cannot set the groups of user %s: %s", user->name, strerror(errno));
  }
  if (setgid(user->gid) != 0) {
    child_fail(EXIT_CANNOT_RUN, "cannot switch to group %u of user %s: %s", (unsigned) user->gid, user->name,
        strerror(errno));
  }
  if (setuid(user->uid) != 0) {
    child_fail(EXIT_CANNOT_RUN, "cannot switch to user %s: %s", user->name, strerror(errno));
  }
  /* checked, not trusted: a partial switch would run the action with the worker's rights */
  if (getuid() != user->uid || geteuid() != user->uid || getgid() != user->gid || getegid() != user->gid
      || (user->uid != 0 && setuid(0) == 0)) {
    child_fail(EXIT_CANNOT_RUN, "switching to user %s did not take full effect", user->name);
  }
}

/* In the child: never returns. */
static _Noreturn void run(char **program, const sigset_t *mask, const struct user *user, const char *dir) {
  char who[96];
  /* A session of its own: the action's process group can be signalled as one, and signals meant for the worker's
   * terminal or process group do not reach it. */
  if (setsid() < 0) {
    child_fail(EXIT_LAUNCHER, "cannot start a session: %s", strerror(errno));
  }
  sigprocmask(SIG_SETMASK, mask, NULL);
  if (user != NULL) {
    become(user);
    snprintf(who, sizeof who, "user %s (uid %u)", user->name, (unsigned) user->uid);
  } else {
    snprintf(who, sizeof who, "uid %u", (unsigned) getuid());
  }
  if (dir != NULL && chdir(dir) != 0) {
    child_fail(EXIT_CANNOT_RUN, "cannot enter working directory %s as %s: %s", dir, who, strerror(errno));
  }
  execvp(program[0], program);
  int error = errno;
  child_fail(error == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN, "cannot run %s as %s: %s", program[0], who,
      strerror(error));
}

static void add(struct pids *list, pid_t pid) {
  if (list->count == list->capacity) {
    size_t capacity = list->capacity == 0 ? 64 : list->capacity * 2;
    pid_t *grown = realloc(list->items, capacity * sizeof *grown);
    if (grown == NULL) {
      return;  /* out of memory: this round misses one process; the next round finds it again */
    }
    list->items = grown;
    list->capacity = capacity;
  }
  list->items[list->count++] = pid;
}

static bool contains(const struct pids *list, pid_t pid) {
  for (size_t i = 0; i < list->count; i++) {
    if (list->items[i] == pid) {
      return true;
    }
  }
  return false;
}

/*
 * Every descendant of this process, through the parent links in /proc. Orphans of the action are this process's
 * own children (it is a subreaper), so walking down from here reaches the whole tree, daemons included.
 */
static void find_descendants(struct pids *found) {
  struct pids pids = {0}, parents = {0};
  DIR *proc = opendir("/proc");
  struct dirent *entry;
  while (proc != NULL && (entry = readdir(proc)) != NULL) {
    char path[300], stat[512];
    if (!isdigit((unsigned char) entry->d_name[0])) {
      continue;
    }
    snprintf(path, sizeof path, "/proc/%s/stat", entry->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      continue;  /* ended meanwhile */
    }
    ssize_t length = read(fd, stat, sizeof stat - 1);
    close(fd);
    if (length <= 0) {
      continue;
    }
    stat[length] = '\0';
    /* "pid (name) state ppid ...": the name may hold blanks and parentheses, so read after the last ')' */
    char *after_name = strrchr(stat, ')');
    int pid, ppid;
    char state;
    if (after_name != NULL && sscanf(stat, "%d", &pid) == 1
        && sscanf(after_name + 1, " %c %d", &state, &ppid) == 2) {
      add(&pids, pid);
      add(&parents, ppid);
    }
  }
  if (proc != NULL) {
    closedir(proc);
  }
  /* breadth first: this process's children, then theirs */
  found->count = 0;
  pid_t ancestor = getpid();
  for (size_t next = 0;; ancestor = found->items[next++]) {
    for (size_t i = 0; i < pids.count && i < parents.count; i++) {
      if (parents.items[i] == ancestor) {
        add(found, pids.items[i]);
      }
    }
    if (next == found->count) {
      break;
    }
  }
  free(pids.items);
  free(parents.items);
}

/* Reaps every child that has ended, noting the action's status. False once no child is left at all. */
static bool reap(pid_t action, int *status, bool *ended) {
  for (;;) {
    int child_status;
    pid_t child = waitpid(-1, &child_status, WNOHANG);
    if (child > 0) {
      if (child == action) {
        *status = child_status;
        *ended = true;
      }
    } else if (child == 0) {
      return true;
    } else if (errno != EINTR) {
      return false;  /* ECHILD */
    }
  }
}

static void signal_tree(pid_t action, int sig) {
  struct pids tree = {0};
  kill(-action, sig);  /* the action's process group, whose leader may have exited already */
  find_descendants(&tree);
  for (size_t i = 0; i < tree.count; i++) {
    kill(tree.items[i], sig);
  }
  free(tree.items);
}

/*
 * Kills every descendant and reaps them all. They are stopped first, round after round until a round finds no
 * process it has not stopped yet: a stopped process cannot fork, so a fork loop cannot outrun the killing. Then
 * SIGKILL, and again until no child is left: the orphans of the killed come here and are killed in turn.
 * Every process of the action's group is a descendant, so the group is not signalled here: once the action is
 * reaped, its pid (the group's id) may belong to somebody else.
 */
static void kill_tree(void) {
  struct pids stopped = {0}, tree = {0};
  long long give_up = millis_now() + KILL_PATIENCE_MILLIS;
  size_t before;
  do {
    before = stopped.count;
    find_descendants(&tree);
    for (size_t i = 0; i < tree.count; i++) {
      if (!contains(&stopped, tree.items[i])) {
        kill(tree.items[i], SIGSTOP);
        add(&stopped, tree.items[i]);
      }
    }
  } while (stopped.count != before && millis_now() < give_up);
  int ignored_status;
  bool ignored_end;
  for (;;) {
    find_descendants(&tree);
    for (size_t i = 0; i < tree.count; i++) {
      kill(tree.items[i], SIGKILL);
    }
    if (!reap(0, &ignored_status, &ignored_end)) {
      break;
    }
    if (millis_now() > give_up) {
      fprintf(stderr, "attune-launch: gave up killing %zu process(es) it may not signal, the first pid %d\n",
          tree.count, tree.count > 0 ? (int) tree.items[0] : -1);
      break;
    }
    struct timespec pause = {0, 10 * 1000000L};
    nanosleep(&pause, NULL);
  }
  free(stopped.items);
  free(tree.items);
}

static int exit_status_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : EXIT_LAUNCHER;
}

int main(int argc, char **argv) {
  static struct user user;  /* static: MAX_GROUPS group ids are too many for a small stack */
  bool switch_user = false;
  unsigned long grace_ms = 5000, parent_pid = 0;
  const char *dir = NULL;
  int next = 1;
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    puts(VERSION);
    return 0;
  }
  for (; next < argc && strcmp(argv[next], "--") != 0; next += 2) {
    const char *option = argv[next], *value = next + 1 < argc ? argv[next + 1] : NULL;
    if (strcmp(option, "--user") != 0 && strcmp(option, "--grace-ms") != 0 && strcmp(option, "--parent") != 0
        && strcmp(option, "--chdir") != 0) {
      fail(EXIT_LAUNCHER, "unknown option '%s'; %s", option, USAGE);
    }
    if (value == NULL || strcmp(value, "--") == 0) {
      fail(EXIT_LAUNCHER, "%s needs a value; %s", option, USAGE);
    }
    if (strcmp(option, "--user") == 0) {
      resolve_user(value, &user);
      switch_user = true;
    } else if (strcmp(option, "--grace-ms") == 0 && !parse_number(value, 86400000UL, &grace_ms)) {
      fail(EXIT_LAUNCHER, "--grace-ms %s: expected milliseconds, 0 to 86400000", value);
    } else if (strcmp(option, "--parent") == 0
        && (!parse_number(value, 0x7fffffffUL, &parent_pid) || parent_pid == 0)) {
      fail(EXIT_LAUNCHER, "--parent %s: expected a process id", value);
    } else if (strcmp(option, "--chdir") == 0) {
      dir = value;
    }
  }
  if (next + 1 >= argc) {
    fail(EXIT_LAUNCHER, "no program to run; %s", USAGE);
  }
  char **program = argv + next + 1;
  pid_t parent = parent_pid != 0 ? (pid_t) parent_pid : getppid();
  if (getppid() != parent) {
    fail(EXIT_LAUNCHER, "parent %d is gone already", (int) parent);
  }

  /* Before anything can be orphaned: orphans of the action must come here, not to init. */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    fail(EXIT_LAUNCHER, "cannot become a child subreaper: %s", strerror(errno));
  }
  /* An ignored SIGCHLD, inherited through exec, would let the kernel reap children behind waitpid's back. */
  signal(SIGCHLD, SIG_DFL);
  /* Signals are taken synchronously (sigtimedwait) rather than in handlers: the loop below is the only place that
   * acts on them. Blocked before the fork, so that none is lost in between; the child restores the mask. */
  sigset_t handled, original;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigprocmask(SIG_BLOCK, &handled, &original);

  pid_t action = fork();
  if (action < 0) {
    fail(EXIT_LAUNCHER, "cannot fork: %s", strerror(errno));
  }
  if (action == 0) {
    run(program, &original, switch_user ? &user : NULL, dir);
  }

  /* The launcher keeps no end of the action's standard input or output: when the action closes its input, the
   * worker's writer learns it at once. Its standard error may be a pipe whose reader (the worker) has died, which
   * must not end the launcher. */
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    close(null);
  }
  signal(SIGPIPE, SIG_IGN);

  int status = 0;
  bool ended = false, stopping = false;
  long long deadline = 0;
  for (;;) {
    bool children_left = reap(action, &status, &ended);
    if (ended && !stopping) {
      kill_tree();
      return exit_status_of(status);
    }
    if (stopping && !children_left) {
      return EXIT_STOPPED;
    }
    if (stopping && millis_now() >= deadline) {
      kill_tree();
      return EXIT_KILLED;
    }
    if (getppid() != parent) {
      kill_tree();
      return EXIT_KILLED;
    }
    struct timespec poll = {0, POLL_MILLIS * 1000000L};
    int received = sigtimedwait(&handled, NULL, &poll);
    if (received == SIGTERM || received == SIGINT || received == SIGHUP) {
      if (!stopping) {
        stopping = true;
        deadline = millis_now() + (long long) grace_ms;
        signal_tree(action, SIGTERM);
      } else {
        deadline = millis_now();
      }
    }
  }
}
