#!/bin/bash
# hostshell: a root shell (or, with arguments, a command) in all of the host's namespaces, as KubeOS's hostshell.
# The admin pod shares the host's PID namespace, so PID 1 is the host's init. The container's own tools stay usable:
# its folders are appended to PATH as seen from the host (/proc/<pid>/root of the calling process, which stays in the
# container while this one moves to the host's mount namespace).
if [ "$(id -u)" -ne 0 ]; then
  echo "hostshell: must run as root" >&2
  exit 1
fi
container="/proc/$PPID/root"
path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  path="$path:$container$dir"
done
if [ $# -gt 0 ]; then
  exec nsenter -t 1 -a env -i PATH="$path" HOME=/root TERM="${TERM:-dumb}" /bin/sh -c "$*"
fi
exec nsenter -t 1 -a env -i PATH="$path" HOME=/root TERM="${TERM:-xterm}" /bin/sh -c 'cd /root 2>/dev/null || cd /; if [ -x /bin/bash ]; then exec /bin/bash -l; fi; exec /bin/sh -l'
