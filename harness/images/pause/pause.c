/*
 * kconform pause: the infra ("sandbox") container process of a pod.
 * Holds the pod's namespaces open by doing nothing: sleeps until SIGINT or
 * SIGTERM (then exits 0) and, as PID 1 of a shared PID namespace, reaps
 * every zombie it inherits. Built static: gcc -static -Os.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig) { stop_signal = sig; }

static void on_child(int sig) {
  int saved = errno;
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static int install(int sig, void (*fn)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)) {
    puts("kconform-pause 1");
    return 0;
  }
  if (getpid() != 1) {
    fputs("kconform-pause: warning: not running as PID 1\n", stderr);
  }
  if (install(SIGINT, on_stop, 0) || install(SIGTERM, on_stop, 0) ||
      install(SIGCHLD, on_child, SA_NOCLDSTOP | SA_RESTART)) {
    perror("kconform-pause: sigaction");
    return 1;
  }
  while (!stop_signal) {
    pause();
  }
  fprintf(stderr, "kconform-pause: shutting down, got signal %d\n", (int)stop_signal);
  return 0;
}
