using System.Text.Json.Nodes;

namespace KubeOS.Sandbox.Tables;

/// <summary>The columns kube-apiserver's printers (pkg/printers/internalversion) produce for the served kinds.</summary>
public static class BuiltinPrinters
{
    private static TableColumn Col(string name, string type = "string", string description = "", int priority = 0) =>
        new(name, type, "", description, priority);

    private static readonly TableColumn Age = TableBuilder.AgeColumn;
    private static readonly TableColumn Name = TableBuilder.NameColumn;

    private static string S(JsonNode? n, string fallback = "<none>") => n?.ToString() is { Length: > 0 } s ? s : fallback;
    private static long L(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : 0;

    public static readonly ITablePrinter Namespace = new DelegatePrinter(
        [Name, Col("Status", description: "The status of the namespace"), Age],
        (o, now) => [TableBuilder.Name(o), S(o["status"]?["phase"], ""), TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter Node = new DelegatePrinter(
        [
            Name, Col("Status", description: "The status of the node"),
            Col("Roles", description: "The roles of the node"), Age,
            Col("Version", description: "Kubelet Version reported by the node."),
            Col("Internal-IP", description: "List of internal IPs in the order of addresses.", priority: 1),
            Col("External-IP", description: "List of external IPs in the order of addresses.", priority: 1),
            Col("OS-Image", description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1),
            Col("Kernel-Version", description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
            Col("Container-Runtime", description: "Container Runtime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
        ],
        (o, now) =>
        {
            var info = o["status"]?["nodeInfo"];
            return
            [
                TableBuilder.Name(o), NodeStatus(o), NodeRoles(o), TableBuilder.Age(o, now),
                S(info?["kubeletVersion"], ""), Address(o, "InternalIP"), Address(o, "ExternalIP"),
                S(info?["osImage"], "<unknown>"), S(info?["kernelVersion"], "<unknown>"),
                S(info?["containerRuntimeVersion"], "<unknown>"),
            ];
        });

    private static string NodeStatus(JsonObject o)
    {
        var ready = (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.ToString() == "Ready")?["status"]?.ToString();
        var status = ready switch { "True" => "Ready", "False" => "NotReady", _ => "Unknown" };
        if (o["spec"]?["unschedulable"]?.GetValue<bool>() == true) status += ",SchedulingDisabled";
        return status;
    }

    private static string NodeRoles(JsonObject o)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        if (o["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                if (k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && k.Length > 24) roles.Add(k[24..]);
                else if (k == "kubernetes.io/role" && v?.ToString() is { Length: > 0 } r) roles.Add(r);
            }
        }
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static string Address(JsonObject o, string type) =>
        (o["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(a => a["type"]?.ToString() == type)?["address"]?.ToString() ?? "<none>";

    public static readonly ITablePrinter Pod = new DelegatePrinter(
        [
            Name, Col("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
            Col("Status", description: "The aggregate status of the containers in this pod."),
            Col("Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Age,
            Col("IP", description: "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1),
            Col("Node", description: "NodeName is a request to schedule this pod onto a specific node.", priority: 1),
            Col("Nominated Node", description: "nominatedNodeName is set when this pod preempts other pods on the node.", priority: 1),
            Col("Readiness Gates", description: "If specified, all readiness gates will be evaluated for pod readiness.", priority: 1),
        ],
        (o, now) =>
        {
            var containers = (o["spec"]?["containers"] as JsonArray)?.Count ?? 0;
            var statuses = (o["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var ready = statuses.Count(s => s["ready"]?.GetValue<bool>() == true);
            var restarts = statuses.Sum(s => L(s["restartCount"]));
            var reason = S(o["status"]?["reason"], S(o["status"]?["phase"], "Unknown"));
            if (o["metadata"]?["deletionTimestamp"] is not null) reason = "Terminating";
            return
            [
                TableBuilder.Name(o), $"{ready}/{containers}", reason, restarts.ToString(), TableBuilder.Age(o, now),
                S(o["status"]?["podIP"]), S(o["spec"]?["nodeName"]), S(o["status"]?["nominatedNodeName"]), "<none>",
            ];
        });

    public static readonly ITablePrinter Event = new DelegatePrinter(
        [
            Col("Last Seen", description: "Time when last this event was observed"),
            Col("Type", description: "Type of this event (Normal, Warning)"),
            Col("Reason", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            Col("Object", description: "The object that this event is about."),
            Col("Message", description: "A human-readable description of the status of this operation."),
        ],
        (o, now) =>
        {
            var last = S(o["lastTimestamp"], S(o["eventTime"], S(o["metadata"]?["creationTimestamp"], "")));
            var obj = o["involvedObject"];
            return
            [
                HumanDuration.Since(last, now), S(o["type"], ""), S(o["reason"], ""),
                $"{S(obj?["kind"], "").ToLowerInvariant()}/{S(obj?["name"], "")}", S(o["message"], ""),
            ];
        });

    public static readonly ITablePrinter ConfigMap = new DelegatePrinter(
        [Name, Col("Data", "integer", "Number of data in configmap"), Age],
        (o, now) => [TableBuilder.Name(o),
            ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0), TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter Secret = new DelegatePrinter(
        [Name, Col("Type", description: "The type of the secret"), Col("Data", "integer", "The number of data in the secret"), Age],
        (o, now) => [TableBuilder.Name(o), S(o["type"], ""), (o["data"] as JsonObject)?.Count ?? 0, TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter DaemonSet = new DelegatePrinter(
        [
            Name, Col("Desired", "integer", "The desired number of pods."),
            Col("Current", "integer", "The current number of pods."),
            Col("Ready", "integer", "The number of pods ready."),
            Col("Up-to-date", "integer", "The number of pods updated."),
            Col("Available", "integer", "The number of pods available."),
            Col("Node Selector", description: "Which nodes should run the pods."), Age,
        ],
        (o, now) =>
        {
            var s = o["status"];
            var selector = (o["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject)?
                .Select(kv => $"{kv.Key}={kv.Value}").ToList() ?? [];
            return
            [
                TableBuilder.Name(o), L(s?["desiredNumberScheduled"]), L(s?["currentNumberScheduled"]),
                L(s?["numberReady"]), L(s?["updatedNumberScheduled"]), L(s?["numberAvailable"]),
                selector.Count == 0 ? "<none>" : string.Join(',', selector), TableBuilder.Age(o, now),
            ];
        });

    public static readonly ITablePrinter ReplicaSet = new DelegatePrinter(
        [
            Name, Col("Desired", "integer", "Number of desired pods."),
            Col("Current", "integer", "Number of actual pods."),
            Col("Ready", "integer", "Number of ready pods."), Age,
        ],
        (o, now) => [TableBuilder.Name(o), L(o["spec"]?["replicas"] ?? 1), L(o["status"]?["replicas"]),
            L(o["status"]?["readyReplicas"]), TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter Deployment = new DelegatePrinter(
        [
            Name, Col("Ready", description: "Number of the pod with ready state"),
            Col("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            Col("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            Age,
        ],
        (o, now) => [TableBuilder.Name(o), $"{L(o["status"]?["readyReplicas"])}/{L(o["spec"]?["replicas"] ?? 1)}",
            L(o["status"]?["updatedReplicas"]), L(o["status"]?["availableReplicas"]), TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter PodDisruptionBudget = new DelegatePrinter(
        [
            Name, Col("Min Available", description: "The minimum number or percentage of available pods this budget requires."),
            Col("Max Unavailable", description: "The maximum number or percentage of unavailable pods this budget requires."),
            Col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."), Age,
        ],
        (o, now) => [TableBuilder.Name(o), S(o["spec"]?["minAvailable"], "N/A"), S(o["spec"]?["maxUnavailable"], "N/A"),
            L(o["status"]?["disruptionsAllowed"]), TableBuilder.Age(o, now)]);

    public static readonly ITablePrinter CustomResourceDefinition = new DelegatePrinter(
        [Name, new TableColumn("Created At", "date", "", TableBuilder.AgeColumn.Description)],
        (o, _) => [TableBuilder.Name(o), o["metadata"]?["creationTimestamp"]?.DeepClone()]);
}
