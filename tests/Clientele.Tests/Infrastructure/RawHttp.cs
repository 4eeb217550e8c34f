using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not do: send headers that promise a body and then send
/// none, or come from another loopback address (all of 127.0.0.0/8 reaches a server on 127.0.0.1).
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    /// <summary>A safety net against a server that never answers; no test asserts on time.</summary>
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly List<byte> _received = [];

    private RawHttp(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawHttp> ConnectAsync(Uri server, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }
        await socket.ConnectAsync(server.Host, server.Port, TestContext.Current.CancellationToken);
        return new RawHttp(socket);
    }

    public async Task SendAsync(string text) =>
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n")), TestContext.Current.CancellationToken);

    /// <summary>Reads one response: its status, headers (names in lower case) and body.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadResponseAsync()
    {
        int end;
        while ((end = HeadEnd()) < 0)
        {
            if (!await ReceiveAsync())
            {
                throw new IOException("The connection closed before a response: " + Encoding.ASCII.GetString([.. _received]));
            }
        }
        var head = Encoding.ASCII.GetString([.. _received.Take(end)]).Split("\r\n");
        _received.RemoveRange(0, end + 4);
        var headers = head.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            var body = new List<byte>();
            while (true)
            {
                var size = Convert.ToInt32(Encoding.ASCII.GetString([.. await TakeLineAsync()]).Split(';')[0], 16);
                body.AddRange(await TakeAsync(size));
                await TakeLineAsync();
                if (size == 0)
                {
                    return (status, headers, Encoding.UTF8.GetString([.. body]));
                }
            }
        }
        var length = headers.TryGetValue("content-length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (status, headers, Encoding.UTF8.GetString(await TakeAsync(length)));
    }

    private async Task<byte[]> TakeAsync(int count)
    {
        while (_received.Count < count)
        {
            if (!await ReceiveAsync())
            {
                throw new IOException("The connection closed inside a response body");
            }
        }
        var taken = _received.Take(count).ToArray();
        _received.RemoveRange(0, count);
        return taken;
    }

    private async Task<byte[]> TakeLineAsync()
    {
        int end;
        while ((end = _received.IndexOf((byte)'\n')) < 0)
        {
            if (!await ReceiveAsync())
            {
                throw new IOException("The connection closed inside a chunked body");
            }
        }
        var line = _received.Take(end - 1).ToArray();
        _received.RemoveRange(0, end + 1);
        return line;
    }

    /// <summary>Whether the server closed the connection (rather than keep it open for more).</summary>
    public async Task<bool> ClosedByServerAsync() => _received.Count == 0 && !await ReceiveAsync();

    private int HeadEnd()
    {
        for (var i = 0; i + 3 < _received.Count; i++)
        {
            if (_received[i] == '\r' && _received[i + 1] == '\n' && _received[i + 2] == '\r' && _received[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private async Task<bool> ReceiveAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(SafetyTimeout);
        var buffer = new byte[8192];
        int read;
        try
        {
            read = await _stream.ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            // A reset is a close too.
            return false;
        }
        _received.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
