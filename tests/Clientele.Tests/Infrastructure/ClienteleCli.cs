using System.Diagnostics;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>clientele</c> executable (copied beside the tests, since the server project is referenced)
/// as a child process, the way an operator does: <c>dotnet clientele.dll keys create ...</c>.
/// </summary>
public static class ClienteleCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
    }

    /// <summary>Runs a verb against <paramref name="database"/>: with <c>--db</c> on SQLite, through the environment on PostgreSQL.</summary>
    public static async Task<Result> RunAsync(TestDatabase database, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clientele.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        SelectDatabase(start, database);
        // Only what the command line says: no database or key leaking in from the test runner's environment.
        start.Environment.Remove("CLIENTELE_BOOTSTRAP_KEY");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the clientele executable");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"clientele {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds}s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The <c>dotnet</c> host running these tests when there is one, so the child uses the same runtime.</summary>
    internal static string DotnetHost()
    {
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary>Points a child process at the database: the <c>--db</c> flag for a SQLite file, the environment for PostgreSQL.</summary>
    public static void SelectDatabase(ProcessStartInfo start, TestDatabase database)
    {
        if (database.FilePath is { } path)
        {
            start.ArgumentList.Add("--db");
            start.ArgumentList.Add(path);
            start.Environment.Remove("ConnectionStrings__Clientele");
            start.Environment.Remove("Storage__Provider");
        }
        else
        {
            start.Environment["Storage__Provider"] = database.Provider;
            start.Environment["ConnectionStrings__Clientele"] = database.ConnectionString;
        }
    }
}
