using System.Diagnostics;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// A small tmpfs of its own, so a test can fill a file system or make it read-only under a server without touching
/// the machine's. Needs the right to mount (root or CAP_SYS_ADMIN); where that is refused the test is skipped with
/// the reason. Disposing unmounts it, whatever the test left behind.
/// </summary>
public sealed class ScratchMount : IAsyncDisposable
{
    private ScratchMount(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (as <c>mount</c> spells it, e.g. <c>8m</c>) or skips the test.</summary>
    public static async Task<ScratchMount> CreateAsync(string size)
    {
        var folder = Directory.CreateTempSubdirectory("clientele-mount-").FullName;
        var (exitCode, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0777", "tmpfs", folder);
        if (exitCode != 0)
        {
            Directory.Delete(folder);
            Assert.Skip($"This test needs its own tmpfs and mounting was refused ({output.Trim()}); run it as root or with CAP_SYS_ADMIN.");
        }
        return new ScratchMount(folder);
    }

    /// <summary>Remounts read-only or writable; read-only fails while any file on it is open for writing.</summary>
    public async Task RemountAsync(bool readOnly)
    {
        var (exitCode, output) = await RunAsync("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Folder);
        Assert.True(exitCode == 0, $"remount {(readOnly ? "ro" : "rw")} of {Folder} failed: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        var (exitCode, _) = await RunAsync("umount", Folder);
        if (exitCode != 0)
        {
            // Something still holds a file open (a failed test's server): detach now, the kernel frees it later.
            await RunAsync("umount", "-l", Folder);
        }
        Directory.Delete(Folder, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            await process.WaitForExitAsync(CancellationToken.None);
            return (process.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program}: {e.Message}");
        }
    }
}
