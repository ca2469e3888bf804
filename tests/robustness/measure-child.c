/* measure-child.c: runs a program and reports its peak resident memory.
 *
 *   measure-child RESULT_FILE PROGRAM [ARGUMENT…]
 *
 * Runs PROGRAM with its arguments, writes its peak resident set size in kB to RESULT_FILE
 * and exits as it did (with its status, or killed by the same signal).
 *
 * Why a program of its own: Linux carries a process's peak RSS across exec(), so a program
 * forked from the test (large, and much larger under AddressSanitizer) and then exec'ed
 * would report the test's memory, not its own. Forked from this small program instead,
 * it reports only what it used itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct rusage usage;
  int           status = 0;
  pid_t         pid;
  FILE         *result;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s RESULT_FILE PROGRAM [ARGUMENT…]\n", argv[0]);
      return 125;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("measure-child: fork");
      return 125;
    }
  if (pid == 0)
    {
      execv (argv[2], argv + 2);
      perror ("measure-child: exec");
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      {
        perror ("measure-child: wait4");
        return 125;
      }

  result = fopen (argv[1], "w");
  if (result == NULL || fprintf (result, "%ld\n", usage.ru_maxrss) < 0 || fclose (result) != 0)
    {
      perror ("measure-child: writing the result");
      return 125;
    }
  if (WIFSIGNALED (status))
    {
      signal (WTERMSIG (status), SIG_DFL);
      raise (WTERMSIG (status));
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : 125;
}
