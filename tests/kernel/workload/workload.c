/* A fixed sequence of syscalls for the simulator-vs-kernel test: opens with every access
 * mode and flag that decides `perm`, creations, deletions, renames, attribute changes,
 * failures (ENOENT, EACCES), credential changes (euid != uid), sockets, umask/kill argument
 * filters, paths relative to the cwd and to a directory fd, and an execve. Built 64-bit and,
 * with gcc-multilib, 32-bit (-m32) so that b32 rules are exercised too.
 *
 * usage: workload SCRATCH_DIR   (SCRATCH_DIR holds r.txt, w.txt, rw.txt, secret.txt (0600))
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

static char path_buf[4096];
static const char *at(const char *dir, const char *name) {
  snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
  return path_buf;
}

static void close_if(int fd) {
  if (fd >= 0) close(fd);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: workload SCRATCH_DIR\n");
    return 2;
  }
  const char *s = argv[1];
  char buf[64];
  int fd;

  /* open/openat with each access mode; O_CREAT and O_TRUNC do not make a read a write */
  fd = openat(AT_FDCWD, at(s, "r.txt"), O_RDONLY);
  if (fd >= 0) { (void)!read(fd, buf, sizeof buf); close(fd); }
  fd = openat(AT_FDCWD, at(s, "w.txt"), O_WRONLY);
  if (fd >= 0) { (void)!write(fd, "x", 1); close(fd); }
  close_if(openat(AT_FDCWD, at(s, "rw.txt"), O_RDWR));
  close_if(openat(AT_FDCWD, at(s, "c1"), O_RDONLY | O_CREAT, 0644));
  close_if(openat(AT_FDCWD, at(s, "c2"), O_WRONLY | O_CREAT | O_TRUNC, 0644));
  close_if((int)syscall(SYS_open, at(s, "r.txt"), O_RDONLY));
  close_if((int)syscall(SYS_open, at(s, "w.txt"), O_WRONLY | O_APPEND));
  close_if(openat(AT_FDCWD, at(s, "missing.txt"), O_RDONLY)); /* ENOENT */

  /* stat is in no perm class */
  struct stat st;
  stat(at(s, "r.txt"), &st);

  /* attribute changes */
  chmod(at(s, "r.txt"), 0644);
  fchmodat(AT_FDCWD, at(s, "w.txt"), 0644, 0);
#ifdef SYS_fchmodat2
  syscall(SYS_fchmodat2, AT_FDCWD, at(s, "rw.txt"), 0644, 0);
#else
  syscall(452, AT_FDCWD, at(s, "rw.txt"), 0644, 0);
#endif
  chown(at(s, "r.txt"), 0, 0);
  truncate(at(s, "c2"), 0);

  /* directory writes */
  mkdir(at(s, "d1"), 0755);
  close_if(openat(AT_FDCWD, at(s, "d1/inner"), O_WRONLY | O_CREAT, 0644));
  unlink(at(s, "d1/inner"));
  rmdir(at(s, "d1"));
  close_if(openat(AT_FDCWD, at(s, "sub/f"), O_WRONLY | O_CREAT, 0644));
  unlink(at(s, "sub/f"));
  char other[4096];
  snprintf(other, sizeof other, "%s/c1b", s);
  rename(at(s, "c1"), other);
  unlink(other);
  snprintf(other, sizeof other, "%s/hard", s);
  link(at(s, "c2"), other);
  unlink(other);
  snprintf(other, sizeof other, "%s/soft", s);
  symlink("c2", other);
  (void)!readlink(other, buf, sizeof buf);
  unlink(other);
  unlink(at(s, "c2"));

  /* relative to the cwd, and to a directory fd the log does not name */
  if (chdir(s) == 0) {
    close_if(open("r.txt", O_RDONLY));
    close_if(open("w.txt", O_WRONLY));
  }
  int dfd = open(s, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    close_if(openat(dfd, "rw.txt", O_RDONLY));
    close(dfd);
  }
  if (chdir("/") != 0) return 1;

  /* argument filters */
  umask(022);
  umask(077);
  kill(getpid(), 0);

  /* sockets: connect (saddr), bind (write class) */
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock >= 0) {
    struct sockaddr_in in;
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    in.sin_port = htons(9);
    in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(sock, (struct sockaddr *)&in, sizeof in);
    close(sock);
  }
  sock = socket(AF_UNIX, SOCK_STREAM, 0);
  if (sock >= 0) {
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    snprintf(un.sun_path, sizeof un.sun_path, "%s/sock", s);
    bind(sock, (struct sockaddr *)&un, sizeof un);
    close(sock);
    unlink(at(s, "sock"));
  }

  /* euid != uid, and a permission failure (EACCES) */
  if (setresuid(0, 65534, 0) == 0) {
    close_if(openat(AT_FDCWD, at(s, "secret.txt"), O_RDONLY));
    close_if(openat(AT_FDCWD, at(s, "r.txt"), O_RDONLY));
    if (setresuid(0, 0, 0) != 0) return 1;
  }

  /* a new program image */
  pid_t child = fork();
  if (child == 0) {
    execl("/usr/bin/true", "true", (char *)NULL);
    _exit(127);
  }
  if (child > 0) waitpid(child, NULL, 0);
  return 0;
}
