using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// <c>clientele serve</c> as a child process on a database file, so a test can crash it for real (kill, no
/// shutdown) and check what a new server finds on the file. Disposing kills it if it still runs.
/// </summary>
public sealed class ClienteleServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ClienteleServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="environment">Extra environment for the child, e.g. <c>RateLimiting__PermitsPerMinute</c> for a load test.</param>
    public static async Task<ClienteleServerProcess> StartAsync(TestDatabase database, string bootstrapKey, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(ClienteleCli.DotnetHost())
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "clientele.dll"), "serve", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        ClienteleCli.SelectDatabase(start, database);
        start.Environment["CLIENTELE_BOOTSTRAP_KEY"] = bootstrapKey;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start clientele serve");
        var server = new ClienteleServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>Kills the process outright (SIGKILL): no graceful shutdown, no flush, like a power cut to the process.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"clientele serve exited with {_process.ExitCode}: {Output}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri(Address, "healthz"), TestContext.Current.CancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"clientele serve did not become healthy: {Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
