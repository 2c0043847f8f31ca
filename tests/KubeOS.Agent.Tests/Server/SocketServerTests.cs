using System.Net.Sockets;
using System.Text;
using KubeOS.Agent.Node;
using KubeOS.Agent.Tests.Support;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Server;

/// <summary>The protocol surface that does not touch a disk: framing, permissions, unknown methods, bad params.</summary>
public sealed class SocketServerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kubeos-agent-sock-" + Guid.NewGuid().ToString("n")[..8]);
    private InProcessAgent _agent = null!;

    public ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(_dir).FullName, "cmdline"), "quiet\n");
        _agent = new InProcessAgent(new NodeSystem
        {
            StateDir = Path.Combine(_dir, "state"),
            CmdlinePath = Path.Combine(_dir, "cmdline"),
            GrubEnvPath = Path.Combine(_dir, "grubenv"),
            ProcSysRoot = Path.Combine(_dir, "sys"),
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Socket_IsRootOnly()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_agent.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(_agent.SocketPath)!));
    }

    [Fact]
    public async Task UnknownMethod_IsMethodNotFound_AndTheClientSaysUnimplemented()
    {
        var error = await Assert.ThrowsAsync<AgentException>(() =>
            _agent.Client.CallAsync("reformat_everything", default, AgentJsonContext.Default.AgentResponse, TestContext.Current.CancellationToken));

        Assert.Equal(JsonRpcError.MethodNotFound, error.Code);
        Assert.Contains("Method is unimplemented", error.Message);
    }

    [Fact]
    public async Task RawRequests_AsSocatWouldSendThem_GetOneAnswerPerRequest_OnOneConnection()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agent.SocketPath), TestContext.Current.CancellationToken);
        await using var stream = new NetworkStream(socket);
        var requests = "{\"jsonrpc\":\"2.0\",\"method\":\"prepare_upgrade\",\"params\":[],\"id\":1}\n" +
                       "{\"jsonrpc\":\"2.0\",\"method\":\"configure\",\"params\":[{\"configs\":[{\"model\":\"no.such\",\"config_path\":\"\",\"contents\":{}}]}],\"id\":\"b\"}\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(requests), TestContext.Current.CancellationToken);
        var reader = new JsonFrameReader(stream);

        var first = Encoding.UTF8.GetString((await reader.ReadFrameAsync(TestContext.Current.CancellationToken))!.Value.Span);
        var second = Encoding.UTF8.GetString((await reader.ReadFrameAsync(TestContext.Current.CancellationToken))!.Value.Span);

        Assert.Contains("\"code\":-32602", first);
        Assert.Contains("prepare_upgrade expects params [UpgradeRequest]", first);
        Assert.Contains("\"id\":1", first);
        Assert.Contains("\"code\":-1", second);
        Assert.Contains("configs[0].model 'no.such' is unknown", second);
        Assert.Contains("\"id\":\"b\"", second);
    }

    [Fact]
    public async Task Configure_OverTheSocket_ReportsChanges_ThenNothingTheSecondTime()
    {
        var swappiness = Path.Combine(_dir, "sys", "vm", "swappiness");
        Directory.CreateDirectory(Path.GetDirectoryName(swappiness)!);
        File.WriteAllText(swappiness, "60\n");
        var request = new ConfigureRequest
        {
            Configs =
            [
                new SysConfig
                {
                    Model = "kernel.sysctl",
                    Contents = { ["vm.swappiness"] = new KeyInfo { Value = System.Text.Json.JsonDocument.Parse("10").RootElement, Operation = "add" } },
                },
            ],
        };

        var first = await _agent.Client.ConfigureAsync(request, TestContext.Current.CancellationToken);
        var second = await _agent.Client.ConfigureAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(AgentStatus.Configured, first.Status);
        Assert.Equal(["kernel.sysctl: vm.swappiness=10 (was 60)"], first.Changes);
        Assert.Equal("10\n", File.ReadAllText(swappiness));
        Assert.Equal(AgentStatus.Configured, second.Status);
        Assert.Empty(second.Changes!);
    }

    [Fact]
    public async Task NotJson_IsAParseError()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agent.SocketPath), TestContext.Current.CancellationToken);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync("{\"jsonrpc\": 2.0, oops}"u8.ToArray(), TestContext.Current.CancellationToken);

        var answer = Encoding.UTF8.GetString((await new JsonFrameReader(stream).ReadFrameAsync(TestContext.Current.CancellationToken))!.Value.Span);
        Assert.Contains("\"code\":-32700", answer);
    }

    [Fact]
    public async Task DiskRequest_OnANodeWithoutRootPartition_ExplainsWhy()
    {
        var error = await Assert.ThrowsAsync<AgentException>(() => _agent.Client.StatusAsync(TestContext.Current.CancellationToken));
        // The command line has no root=, so the root comes from mountinfo: this machine's / is not partition 2 or 3 of a KubeOS disk.
        Assert.Equal(JsonRpcError.AgentFailure, error.Code);
        Assert.Matches("partition|not a partition|KubeOS roots", error.Message);
    }

    [Fact]
    public async Task MissingSocket_IsCannotConnect()
    {
        var client = new AgentClient(Path.Combine(_dir, "absent.sock"));
        var error = await Assert.ThrowsAsync<AgentException>(() => client.StatusAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("Cannot connect to KubeOS os-agent unix socket", error.Message);
    }
}
