using Clientele.Auth;

namespace Clientele.Storage;

/// <summary>
/// Opens (and migrates) the database before the server takes requests, and honours
/// <c>CLIENTELE_BOOTSTRAP_KEY</c>: account <c>default</c> exists and that key is live for it, unless the key was
/// revoked: then it stays revoked, and the start says so.
/// </summary>
public sealed partial class StorageStartup(IServiceProvider services, IConfiguration configuration, ILogger<StorageStartup> logger) : IHostedService
{
    public const string BootstrapKeyVariable = "CLIENTELE_BOOTSTRAP_KEY";
    public const string BootstrapAccount = "default";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.PrepareStorageAsync(configuration, cancellationToken);
        if (configuration[BootstrapKeyVariable] is { Length: > 0 } key)
        {
            if (await services.GetRequiredService<IAccountStore>().EnsureKeyAsync(BootstrapAccount, ApiKeys.Hash(key), "bootstrap", cancellationToken))
            {
                BootstrapKeyLive(logger, BootstrapAccount);
            }
            else
            {
                BootstrapKeyRevoked(logger, BootstrapKeyVariable);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap key is live for account {Account}")]
    private static partial void BootstrapKeyLive(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key in {Variable} was revoked and stays revoked: it cannot sign in. Set a new key, or create one with: keys create")]
    private static partial void BootstrapKeyRevoked(ILogger logger, string variable);
}
