#!/bin/sh
# udhcpc event script of the KubeOS PXE installer: applies the leased address and the first router.
case "$1" in
  deconfig)
    ifconfig "$interface" 0.0.0.0 up
    ;;
  bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
    for gw in $router; do
      route add default gw "$gw" dev "$interface"
      break
    done
    ;;
esac
exit 0
