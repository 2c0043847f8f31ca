#!/bin/bash
# The kubelet's API duties for a node with no container runtime: register the Node, report the machine's own facts
# (osImage from os-release, bootID, kernel) as Ready, and play the pods bound to the node — Running once scheduled,
# gone once deleted — so drains, proxies and the operator see this machine as a real node.
# Every process costs the emulated guest dearly, so the loops spawn as few as they can: the boot's facts are read
# once, the status body is built once, and pods arrive through one watch instead of a poll.
set -u
. /etc/kubeos/node.env   # NODE_NAME, NODE_SELECTOR, API_HOST (the name the certificate holds), API_ADDR (where it is)
token=$(</etc/kubeos/token)
base="https://${API_HOST}/api/v1"
export TZ=UTC

api() {
  curl -sS --cacert /etc/kubeos/ca.crt --connect-to "${API_HOST}:${API_ADDR}" -H "Authorization: Bearer $token" "$@"
}

now() { printf '%(%Y-%m-%dT%H:%M:%SZ)T' -1; }

register() {
  jq -n --arg n "$NODE_NAME" --arg s "$NODE_SELECTOR" '{apiVersion: "v1", kind: "Node", metadata: {name: $n,
    labels: {"kubernetes.io/hostname": $n, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
             "upgrade.openeuler.org/node-selector": $s}}}' |
    api --max-time 10 -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @- "$base/nodes"
}

# The facts of this boot. os-release(5): /etc first, then /usr/lib (a KubeOS root keeps it only there).
if [ -r /etc/os-release ]; then . /etc/os-release; else . /usr/lib/os-release; fi
read -r uptime _ < /proc/uptime
boot_time=$(printf '%(%Y-%m-%dT%H:%M:%SZ)T' $(( $(printf '%(%s)T' -1) - ${uptime%.*} )))
machine=$(cat /etc/machine-id 2>/dev/null)
# A strategic merge patch, as the kubelet sends: conditions merge by type, so conditions others set on the Node stay.
status_body=$(jq -cn --arg boot "$boot_time" --arg os "$PRETTY_NAME" --arg bootid "$(</proc/sys/kernel/random/boot_id)" \
  --arg kernel "$(uname -r)" --arg machine "$machine" --arg name "$NODE_NAME" \
  '{status: {conditions: [{type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet stand-in is posting ready status",
     lastHeartbeatTime: "@NOW@", lastTransitionTime: $boot}],
    addresses: [{type: "Hostname", address: $name}],
    nodeInfo: {osImage: $os, bootID: $bootid, kernelVersion: $kernel, machineID: $machine, systemUUID: $machine,
      operatingSystem: "linux", architecture: "amd64", kubeletVersion: "v1.32.0", kubeProxyVersion: "v1.32.0",
      containerRuntimeVersion: "none://0"}}}')

report_status() {
  api --max-time 10 -o /dev/null -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' \
    --data-binary "${status_body//@NOW@/$(now)}" "$base/nodes/$NODE_NAME/status"
}

# One watch of this node's pods (it starts with every existing pod), re-opened when the server ends it.
play_pods() {
  while true; do
    api -N -G "$base/pods" --data-urlencode "fieldSelector=spec.nodeName=$NODE_NAME" \
        --data-urlencode watch=1 --data-urlencode timeoutSeconds=600 |
      jq --unbuffered -r 'select(.type == "ADDED" or .type == "MODIFIED") | .object |
        if .metadata.deletionTimestamp then "delete \(.metadata.namespace) \(.metadata.name)"
        elif .status.phase != "Running" then "run \(.metadata.namespace) \(.metadata.name)" else empty end' |
      while read -r action ns name; do
        if [ "$action" = delete ]; then
          # The containers are gone at once, so the kubelet's final delete follows.
          api --max-time 10 -o /dev/null -X DELETE -H 'Content-Type: application/json' -d '{"gracePeriodSeconds":0}' \
            "$base/namespaces/$ns/pods/$name"
        else
          t=$(now)
          api --max-time 10 -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' \
            --data-binary "{\"status\":{\"phase\":\"Running\",\"startTime\":\"$t\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"$t\"},{\"type\":\"ContainersReady\",\"status\":\"True\",\"lastTransitionTime\":\"$t\"}]}}" \
            "$base/namespaces/$ns/pods/$name/status"
        fi
      done
    sleep 2
  done
}

until register || api --max-time 10 -o /dev/null -f "$base/nodes/$NODE_NAME"; do sleep 2; done
report_status
play_pods &
# A kubelet whose status does not change reports it every few tens of seconds; the lease is the real heartbeat.
while true; do
  sleep 30
  report_status
done
