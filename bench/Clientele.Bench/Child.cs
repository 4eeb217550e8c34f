using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Clientele.Bench;

/// <summary>A process the bench started: its output goes to a log file, and it is killed when disposed.</summary>
internal sealed class Child : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private Child(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    public static Child Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logPath)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove(InlineCompletions);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"$ {fileName} {string.Join(' ', info.ArgumentList)}");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process, log) { LogPath = logPath };
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    /// <summary>Waits for the process to end by itself; kills it and throws when it takes longer than <paramref name="limit"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} took longer than {limit.TotalSeconds:F0} s; see {LogPath}");
        }
        await _process.WaitForExitAsync(CancellationToken.None); // the output is drained
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200, for at most <paramref name="limit"/>.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, string url, TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}; see {LogPath}");
            }
            try
            {
                using var answer = await http.GetAsync(url, cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"{url} did not answer 200 within {limit.TotalSeconds:F0} s; see {LogPath}");
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
