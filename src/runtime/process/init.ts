// kite-init, the few lines of Perl (perl-base is Essential on Debian; Node cannot fork, setpgid or
// join a cgroup between fork and exec) that start every container process:
//   perl -e INIT <exit-code file | -> <cgroup.procs files…> -- <executable> <args…>
// With "-" (exec'd commands) it joins the cgroups and execs in place. For a container's main
// process it forks: the child makes its own process group, joins the cgroups and execs the
// command, so the command is the group leader and its pid the group id the runtime signals; the
// parent stays outside that group (no signal meant for the container reaches it, and it ignores
// SIGTERM, SIGINT and SIGHUP anyway), tells the runtime the command's pid on fd 3, waits for it,
// writes its exit code (128 + signal when killed) to the file and exits with it. So a runtime that
// restarts still learns how a container it was not watching ended, and a stop signal can never
// fall into a gap between a shell's trap and the command's exec.

export const INIT_SCRIPT = String.raw`
use strict;
use POSIX ();
my ($exitfile, @rest) = @ARGV;
my @procs;
push @procs, shift @rest while @rest && $rest[0] ne '--';
shift @rest;
sub join_cgroups {
  for my $f (@procs) {
    open(my $fh, '>', $f) or return 0;
    print $fh "$$\n";
    close($fh) or return 0;
  }
  return 1;
}
sub run_command {
  join_cgroups() or do { print STDERR "kite-init: cannot join the container's cgroups: $!\n"; POSIX::_exit(125) };
  exec { $rest[0] } @rest;
  print STDERR "kite-init: exec $rest[0]: $!\n";
  POSIX::_exit(127);
}
run_command() if $exitfile eq '-';
my $pid = fork();
defined $pid or die "kite-init: fork: $!\n";
if ($pid == 0) {
  POSIX::setpgid(0, 0);
  POSIX::close(3);
  run_command();
}
POSIX::setpgid($pid, $pid);
$SIG{$_} = 'IGNORE' for qw(TERM INT HUP PIPE);
if (open(my $report, '>&=', 3)) { print $report "$pid\n"; close($report); }
open(STDIN, '<', '/dev/null');
open(STDOUT, '>', '/dev/null');
open(STDERR, '>', '/dev/null');
my $w;
do { $w = waitpid($pid, 0) } while ($w == -1 && $!{EINTR});
my $status = $?;
my $code = POSIX::WIFEXITED($status) ? POSIX::WEXITSTATUS($status) : 128 + POSIX::WTERMSIG($status);
if (open(my $fh, '>', "$exitfile.tmp")) {
  print $fh "$code\n";
  close($fh);
  rename("$exitfile.tmp", $exitfile);
}
exit $code;
`;
