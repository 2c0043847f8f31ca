#!/bin/bash
# The kubelet's API duties for a node with no container runtime: register the Node, report the machine's own facts
# (osImage from os-release, bootID, kernel) as Ready every few seconds, and play the pods bound to the node —
# Running once scheduled, gone once deleted — so drains, proxies and the operator see this machine as a real node.
set -u
. /etc/kubeos/node.env   # NODE_NAME, NODE_SELECTOR, API_HOST (the name the certificate holds), API_ADDR (where it is)

api() {
  curl -sS --max-time 10 --cacert /etc/kubeos/ca.crt --connect-to "${API_HOST}:${API_ADDR}" \
    -H "Authorization: Bearer $(cat /etc/kubeos/token)" "$@"
}
base="https://${API_HOST}/api/v1"

register() {
  jq -n --arg n "$NODE_NAME" --arg s "$NODE_SELECTOR" '{apiVersion: "v1", kind: "Node", metadata: {name: $n,
    labels: {"kubernetes.io/hostname": $n, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
             "upgrade.openeuler.org/node-selector": $s}}}' |
    api -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @- "$base/nodes"
}

# A strategic merge patch, as the kubelet sends: conditions merge by type, so conditions others set on the Node stay.
report_status() {
  # os-release(5): /etc first, then /usr/lib (a KubeOS root keeps it only there, out of the persistent /etc overlay).
  if [ -r /etc/os-release ]; then . /etc/os-release; else . /usr/lib/os-release; fi
  local now boot
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  boot=$(date -u -d "@$(( $(date +%s) - $(cut -d. -f1 /proc/uptime) ))" +%Y-%m-%dT%H:%M:%SZ)
  jq -n --arg now "$now" --arg boot "$boot" --arg os "$PRETTY_NAME" --arg bootid "$(cat /proc/sys/kernel/random/boot_id)" \
    --arg kernel "$(uname -r)" --arg machine "$(cat /etc/machine-id 2>/dev/null)" --arg name "$NODE_NAME" \
    '{status: {conditions: [{type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet stand-in is posting ready status",
       lastHeartbeatTime: $now, lastTransitionTime: $boot}],
      addresses: [{type: "Hostname", address: $name}],
      nodeInfo: {osImage: $os, bootID: $bootid, kernelVersion: $kernel, machineID: $machine, systemUUID: $machine,
        operatingSystem: "linux", architecture: "amd64", kubeletVersion: "v1.32.0", kubeProxyVersion: "v1.32.0",
        containerRuntimeVersion: "none://0"}}}' |
    api -o /dev/null -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' --data-binary @- "$base/nodes/$NODE_NAME/status"
}

play_pods() {
  local pods now
  pods=$(api -G "$base/pods" --data-urlencode "fieldSelector=spec.nodeName=$NODE_NAME") || return
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # Deleted pods: the containers are gone at once, so the kubelet's final delete follows.
  echo "$pods" | jq -r '.items[] | select(.metadata.deletionTimestamp) | "\(.metadata.namespace)/\(.metadata.name)"' |
    while IFS=/ read -r ns name; do
      api -o /dev/null -X DELETE -H 'Content-Type: application/json' -d '{"gracePeriodSeconds":0}' "$base/namespaces/$ns/pods/$name"
    done
  echo "$pods" | jq -r '.items[] | select((.metadata.deletionTimestamp | not) and .status.phase != "Running") | "\(.metadata.namespace)/\(.metadata.name)"' |
    while IFS=/ read -r ns name; do
      jq -n --arg now "$now" '{status: {phase: "Running", startTime: $now,
        conditions: [{type: "Ready", status: "True", lastTransitionTime: $now}, {type: "ContainersReady", status: "True", lastTransitionTime: $now}]}}' |
        api -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' --data-binary @- "$base/namespaces/$ns/pods/$name/status"
    done
}

until register || api -o /dev/null -f "$base/nodes/$NODE_NAME"; do sleep 2; done
# Every 10 s, as a kubelet reports its status; each round costs a few processes, which matter on a slow machine.
while true; do
  report_status
  play_pods
  sleep 10
done
