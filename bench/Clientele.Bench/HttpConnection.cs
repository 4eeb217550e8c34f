using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Clientele.Bench;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends prepared request bytes and reads the whole response, keeping
/// only its status. Much lighter than HttpClient (no header objects, no per-request allocations), so on a
/// two-core machine the load generator leaves the CPU to the server it measures.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private MemoryStream? _body;

    private HttpConnection(Socket socket) => _socket = socket;

    public static async Task<HttpConnection> OpenAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new HttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Like <see cref="SendAsync"/>, keeping the body (for checks outside the timed runs).</summary>
    public async Task<(int Status, byte[] Body)> SendKeepingBodyAsync(byte[] request, CancellationToken cancellationToken)
    {
        _body = new MemoryStream();
        try
        {
            var status = await SendAsync(request, cancellationToken);
            return (status, _body.ToArray());
        }
        finally
        {
            _body = null;
        }
    }

    /// <summary>Sends one request and reads its response to the end; returns the status code.</summary>
    public async ValueTask<int> SendAsync(byte[] request, CancellationToken cancellationToken)
    {
        var pending = request.AsMemory();
        while (!pending.IsEmpty)
        {
            pending = pending[await _socket.SendAsync(pending, SocketFlags.None, cancellationToken)..];
        }

        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }
        var (status, length, chunked, close) = ParseHead(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + 4;
        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else if (length > 0)
        {
            await SkipAsync(length, cancellationToken);
        }
        if (close)
        {
            throw new IOException("The server closed the connection.");
        }
        return status;
    }

    private static (int Status, long Length, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8))
        {
            throw new IOException("Not an HTTP/1.x response: " + Encoding.ASCII.GetString(head[..Math.Min(head.Length, 40)]));
        }
        var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        long length = 0;
        bool chunked = false, close = false;
        var rest = head;
        while (rest.IndexOf("\r\n"u8) is var eol && eol >= 0)
        {
            rest = rest[(eol + 2)..];
            var line = rest.IndexOf("\r\n"u8) is var next && next >= 0 ? rest[..next] : rest;
            if (StartsWithIgnoreCase(line, "content-length:"u8))
            {
                if (!Utf8Parser.TryParse(line["content-length:".Length..].Trim((byte)' '), out length, out _))
                {
                    throw new IOException("A Content-Length that is not a number.");
                }
            }
            else if (StartsWithIgnoreCase(line, "transfer-encoding:"u8))
            {
                chunked = line.IndexOf("chunked"u8) >= 0;
            }
            else if (StartsWithIgnoreCase(line, "connection:"u8))
            {
                close = line.IndexOf("close"u8) >= 0;
            }
        }
        return (status, length, chunked, close);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> lowerPrefix)
    {
        if (line.Length < lowerPrefix.Length)
        {
            return false;
        }
        for (var i = 0; i < lowerPrefix.Length; i++)
        {
            if ((line[i] | 0x20) != lowerPrefix[i] && line[i] != lowerPrefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Chunks: <c>SIZE-IN-HEX\r\n DATA \r\n</c> … <c>0\r\n</c>, then trailer lines up to an empty one.</summary>
    private async ValueTask SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var eol = await LineEndAsync(cancellationToken);
            var size = ParseHex(_buffer.AsSpan(_start, eol));
            _start += eol + 2;
            if (size == 0)
            {
                // Trailer lines (none expected) up to the empty line that ends the message.
                while ((eol = await LineEndAsync(cancellationToken)) > 0)
                {
                    _start += eol + 2;
                }
                _start += 2;
                return;
            }
            await SkipAsync(size, cancellationToken);
            await SkipAsync(2, cancellationToken, keep: false);
        }
    }

    private static long ParseHex(ReadOnlySpan<byte> line)
    {
        var size = 0L;
        foreach (var c in line)
        {
            var digit = c switch { >= (byte)'0' and <= (byte)'9' => c - '0', >= (byte)'a' and <= (byte)'f' => c - 'a' + 10, >= (byte)'A' and <= (byte)'F' => c - 'A' + 10, _ => -1 };
            if (digit < 0)
            {
                break; // a chunk extension (";name=value") or trailing space
            }
            size = size * 16 + digit;
        }
        return size;
    }

    /// <summary>Where the next CRLF is, relative to the unread bytes, reading more until there is one.</summary>
    private async ValueTask<int> LineEndAsync(CancellationToken cancellationToken)
    {
        int eol;
        while ((eol = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }
        return eol;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken, bool keep = true)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _end - _start);
            if (keep)
            {
                _body?.Write(_buffer, _start, take);
            }
            _start += take;
            count -= take;
            if (count == 0)
            {
                return;
            }
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads more bytes after the unread ones, compacting or growing the buffer when it is full.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = unread > _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            (_buffer, _start, _end) = (target, 0, unread);
        }
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
