#!/bin/sh
# /init of the KubeOS PXE installer initramfs (busybox sh). It installs KubeOS on one disk and reboots into it:
#   1. brings up the network (static address or DHCP),
#   2. partitions the target disk like the KubeOS VM image (1 BOOT, 2 ROOT-A, 3 ROOT-B, 4 PERSIST to the end of the
#      disk, 5 BIOS boot with legacy BIOS),
#   3. downloads http://<server_ip>/<rootfs_name> (the root ext4 image) onto ROOT-A and checks its SHA-256 against
#      the one the build recorded,
#   4. writes the ESP (GRUB EFI, grub.cfg, grubenv), GRUB's BIOS boot code, an empty ROOT-B and PERSIST,
#   5. reboots.
# Settings come from /kubeos/pxe.conf (kbimg's [pxe_config]); a kernel argument kubeos.<key>=<value> overrides one:
# kubeos.rootfs_name, kubeos.disk, kubeos.server_ip, kubeos.dhcp, kubeos.local_ip, kubeos.netmask, kubeos.net_name,
# kubeos.route_ip, kubeos.rootfs_sha256, kubeos.on_error (poweroff, the default, or shell).
export PATH=/sbin:/bin
# busybox's shell prefers its own applets to programs on PATH, and its mke2fs cannot make ext4: the e2fsprogs and
# util-linux programs are called by their full paths.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

log=/tmp/install.log
mkdir -p /tmp
say() { echo "kubeos-pxe: $*" | tee -a "$log"; }
fail() {
  tail -n 5 "$log"
  say "FAILED: $*"
  if [ "$on_error" = shell ]; then
    say "starting a shell; the install log is $log"
    exec sh
  fi
  sync
  poweroff -f
}

. /kubeos/pxe.conf
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    kubeos.*=*)
      key="${arg#kubeos.}"
      key="${key%%=*}"
      value="${arg#*=}"
      case "$key" in
        rootfs_name|disk|server_ip|route_ip|dhcp|local_ip|netmask|net_name|rootfs_sha256|on_error) eval "$key=\$value" ;;
        *) say "ignoring unknown kernel argument kubeos.$key" ;;
      esac
      ;;
  esac
done
say "installing KubeOS $version on $disk from http://$server_ip/$rootfs_name"

while read -r module; do
  insmod "$module" >>"$log" 2>&1 || true
done < /kubeos/modules

# Network.
if [ "$dhcp" = true ]; then
  configured=
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    for nic in /sys/class/net/e*; do
      [ -e "$nic" ] || continue
      name="${nic##*/}"
      ip link set "$name" up
      if udhcpc -i "$name" -n -q -t 5 -s /kubeos/udhcpc.script >>"$log" 2>&1; then configured="$name"; break 2; fi
    done
    sleep 1
  done
  [ -n "$configured" ] || fail "no DHCP answer on any e* interface"
  say "network: $configured configured by DHCP"
else
  tries=0
  while [ ! -e "/sys/class/net/$net_name" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 30 ] || fail "network interface $net_name does not exist (kubeos.net_name= names another)"
    sleep 1
  done
  ifconfig "$net_name" "$local_ip" netmask "$netmask" up >>"$log" 2>&1 || fail "cannot set $local_ip/$netmask on $net_name"
  route add default gw "$route_ip" >>"$log" 2>&1 || fail "cannot add the default route via $route_ip"
  say "network: $net_name $local_ip netmask $netmask via $route_ip"
fi

# Target disk.
tries=0
while [ ! -b "$disk" ]; do
  tries=$((tries + 1))
  [ "$tries" -le 30 ] || fail "disk $disk not found (kubeos.disk= names another)"
  sleep 1
done
size=$(blockdev --getsize64 "$disk")
[ "$size" -ge $((min_disk_mib * 1048576)) ] || fail "$disk has $size bytes; the layout needs at least $min_disk_mib MiB"
case "$disk" in
  *[0-9]) part="${disk}p" ;;
  *) part="$disk" ;;
esac
say "partitioning $disk"
/sbin/sfdisk --quiet --wipe always --wipe-partitions always "$disk" < /kubeos/partitions.sfdisk >>"$log" 2>&1 || fail "sfdisk could not partition $disk"
for n in 1 2 3 4; do
  tries=0
  while [ ! -b "$part$n" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 20 ] || fail "partition $part$n did not appear"
    sleep 1
  done
done

# Root image: downloaded straight onto ROOT-A, then hashed from the (still cached) partition. busybox tee writes in
# small blocks, which makes hashing on the way through a pipe several times slower than this.
url="http://$server_ip/$rootfs_name"
say "writing $url to ${part}2"
wget -q -O "${part}2" "$url" >>"$log" 2>&1 || fail "download of $url to ${part}2 failed"
actual=$(dd if="${part}2" bs=1M 2>/dev/null | sha256sum | cut -d ' ' -f 1)
if [ "$actual" != "$rootfs_sha256" ]; then
  # Leave nothing bootable behind.
  dd if=/dev/zero of="${part}2" bs=1M count=4 2>/dev/null
  fail "root image sha256 is $actual, expected $rootfs_sha256"
fi
say "root image verified (sha256 $actual)"

/sbin/mke2fs -q -F -t ext4 -L ROOT-B "${part}3" >>"$log" 2>&1 || fail "mkfs.ext4 ROOT-B"
gunzip -c /kubeos/esp.img.gz > "${part}1" || fail "writing the ESP to ${part}1"
if [ -e /kubeos/bios/core.img ]; then
  dd if=/kubeos/bios/core.img of="${part}5" 2>>"$log" || fail "writing GRUB's core.img to ${part}5"
  dd if=/kubeos/bios/mbr.bin of="$disk" bs=440 count=1 conv=notrunc 2>>"$log" || fail "writing GRUB's boot code to the MBR"
fi
mkdir -p /tmp/persist
tar -xf /kubeos/persist.tar -C /tmp/persist || fail "unpacking the PERSIST content"
say "writing PERSIST"
# The log so far goes to /persist/install.log, as in KubeOS.
cp "$log" /tmp/persist/install.log
/sbin/mke2fs -q -F -t ext4 -L PERSIST -d /tmp/persist "${part}4" >>"$log" 2>&1 || fail "mkfs.ext4 PERSIST"
sync
say "installed KubeOS $version on $disk; rebooting"
reboot -f
