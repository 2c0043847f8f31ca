using System.IO.Pipelines;
using System.Text;
using KubeOS.Api.Agent;

namespace KubeOS.Agent.Tests.Protocol;

public sealed class JsonFrameReaderTests
{
    [Fact]
    public async Task SplitsBackToBackValues_IgnoringBracesInStrings()
    {
        var input = "{\"a\":\"}{\\\"\"}\n  [1,{\"b\":[2]}]{\"c\":1}";
        var reader = new JsonFrameReader(new MemoryStream(Encoding.UTF8.GetBytes(input)));

        var frames = new List<string>();
        while (await reader.ReadFrameAsync(TestContext.Current.CancellationToken) is { } frame)
            frames.Add(Encoding.UTF8.GetString(frame.Span));

        Assert.Equal(["{\"a\":\"}{\\\"\"}", "[1,{\"b\":[2]}]", "{\"c\":1}"], frames);
    }

    [Fact]
    public async Task AssemblesAValueArrivingInSmallPieces_LargerThanItsBuffer()
    {
        var pipe = new Pipe();
        var big = "{\"x\":\"" + new string('y', 20000) + "\"}";
        var reader = new JsonFrameReader(pipe.Reader.AsStream());
        var read = reader.ReadFrameAsync(TestContext.Current.CancellationToken);
        foreach (var chunk in big.Chunk(777))
        {
            await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(chunk), TestContext.Current.CancellationToken);
            await Task.Yield();
        }

        var frame = await read;
        Assert.Equal(big, Encoding.UTF8.GetString(frame!.Value.Span));
    }

    [Fact]
    public async Task RejectsATruncatedValue_AndANonObject()
    {
        var truncated = new JsonFrameReader(new MemoryStream("{\"a\":1"u8.ToArray()));
        await Assert.ThrowsAsync<EndOfStreamException>(() => truncated.ReadFrameAsync(TestContext.Current.CancellationToken));

        var scalar = new JsonFrameReader(new MemoryStream("42"u8.ToArray()));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => scalar.ReadFrameAsync(TestContext.Current.CancellationToken));
        Assert.Contains("JSON object or array", error.Message);
    }
}
