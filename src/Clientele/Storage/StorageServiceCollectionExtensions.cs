using Clientele.Storage.Sqlite;

namespace Clientele.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "Clientele";
    public const string DefaultSqliteConnectionString = "Data Source=data/clientele.db";

    /// <summary>
    /// Registers the store for <c>Storage:Provider</c> (default <c>sqlite</c>) over <c>ConnectionStrings:Clientele</c>
    /// (default <c>./data/clientele.db</c>). The database is opened, and its schema migrated, on first use.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "sqlite";
        if (!provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use 'sqlite'.");
        }
        var connectionString = configuration.GetConnectionString(ConnectionStringName) ?? DefaultSqliteConnectionString;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => SqliteDatabase.Open(connectionString));
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<ICustomerStore, SqliteCustomerStore>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        return services;
    }
}
