using Clientele.RateLimiting;
using Clientele.Storage.Postgres;
using Clientele.Storage.Sqlite;

namespace Clientele.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "Clientele";
    public const string DefaultSqliteConnectionString = "Data Source=data/clientele.db";

    /// <summary>
    /// Registers the stores of <c>Storage:Provider</c> — <c>sqlite</c> (default, <c>./data/clientele.db</c>) or
    /// <c>postgres</c> — over <c>ConnectionStrings:Clientele</c>.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Storage:Provider"] ?? "sqlite";
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        services.AddSingleton(TimeProvider.System);
        if (provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(sp => SqliteDatabase.Open(connectionString ?? DefaultSqliteConnectionString, sp.GetRequiredService<ILogger<SqliteDatabase>>()));
            services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<ICustomerStore, SqliteCustomerStore>();
            services.AddSingleton<IAccountStore, SqliteAccountStore>();
            services.AddSingleton<IEventStore, SqliteEventStore>();
            // One node: the count lives in this process.
            services.AddSingleton<IAccountRateLimiter, LocalRateLimiter>();
        }
        else if (provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Storage:Provider 'postgres' needs ConnectionStrings:Clientele (Host=…;Database=…;Username=…).");
            }
            services.AddSingleton(_ => PostgresDatabase.Create(connectionString));
            services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<ICustomerStore, PostgresCustomerStore>();
            services.AddSingleton<IAccountStore, PostgresAccountStore>();
            services.AddSingleton<IEventStore, PostgresEventStore>();
            // Several nodes: the count lives in the database they share.
            services.AddSingleton<IAccountRateLimiter, PostgresRateLimiter>();
        }
        else
        {
            throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'.");
        }
        return services;
    }

    /// <summary>Migrates unless <c>Storage:MigrateOnStart</c> is false (when a deploy step runs <c>migrate</c> instead).</summary>
    public static async Task PrepareStorageAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<IDatabase>();
        if (configuration.GetValue("Storage:MigrateOnStart", true))
        {
            await database.MigrateAsync(cancellationToken);
        }
    }
}
