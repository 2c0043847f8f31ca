namespace KubeOS.Api.Agent;

/// <summary>
/// Splits a byte stream into top-level JSON values. KubeOS's peers delimit messages by the JSON value itself (the
/// server parses objects as they complete, the client reads one value), so no length prefix or newline is required;
/// a trailing newline, as socat users send, is skipped as whitespace.
/// </summary>
public sealed class JsonFrameReader
{
    private readonly Stream _stream;
    private readonly int _maxFrameBytes;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public JsonFrameReader(Stream stream, int maxFrameBytes = 4 * 1024 * 1024)
    {
        _stream = stream;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>Returns the next complete value, or null when the peer closed the stream between values.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        var scanner = new Scanner();
        // Offset from _start, so it stays valid when Grow moves the live bytes to the front.
        var scanned = 0;
        while (true)
        {
            while (_start + scanned < _end)
            {
                var b = _buffer[_start + scanned++];
                if (scanner.Push(b))
                {
                    var frame = _buffer.AsMemory(_start + scanner.LeadingWhitespace, scanned - scanner.LeadingWhitespace).ToArray();
                    _start += scanned;
                    return frame;
                }
            }
            if (_end - _start > _maxFrameBytes)
                throw new InvalidDataException($"JSON-RPC message exceeds {_maxFrameBytes} bytes");
            if (_end == _buffer.Length)
                Grow();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (scanner.Started)
                    throw new EndOfStreamException("connection closed in the middle of a JSON-RPC message");
                return null;
            }
            _end += read;
        }
    }

    private void Grow()
    {
        var live = _end - _start;
        var target = live * 2 > _buffer.Length ? _buffer.Length * 2 : _buffer.Length;
        var next = new byte[target];
        Array.Copy(_buffer, _start, next, 0, live);
        _buffer = next;
        _end = live;
        _start = 0;
    }

    /// <summary>Depth counter over objects and arrays that ignores brackets inside strings.</summary>
    private struct Scanner
    {
        private int _depth;
        private bool _inString;
        private bool _escaped;
        public bool Started;
        public int LeadingWhitespace;

        public bool Push(byte b)
        {
            if (!Started)
            {
                if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
                {
                    LeadingWhitespace++;
                    return false;
                }
                if (b is not ((byte)'{' or (byte)'['))
                    throw new InvalidDataException($"JSON-RPC message must be a JSON object or array, found '{(char)b}'");
                Started = true;
            }
            if (_inString)
            {
                if (_escaped) _escaped = false;
                else if (b == (byte)'\\') _escaped = true;
                else if (b == (byte)'"') _inString = false;
                return false;
            }
            switch (b)
            {
                case (byte)'"': _inString = true; return false;
                case (byte)'{' or (byte)'[': _depth++; return false;
                case (byte)'}' or (byte)']': _depth--; return _depth == 0;
                default: return false;
            }
        }
    }
}
