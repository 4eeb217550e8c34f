using Clientele.Auth;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Events;
using Clientele.Health;
using Clientele.Http;
using Clientele.Json;
using Clientele.Limits;
using Clientele.Logging;
using Clientele.OpenApi;
using Clientele.RateLimiting;
using Clientele.Search;
using Clientele.Storage;

namespace Clientele;

/// <summary>Builds the HTTP server: one AddX() and one MapX() per feature.</summary>
public static class ClienteleServer
{
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <param name="settings">Configuration that wins over appsettings.json and the environment (command-line flags, tests).</param>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // appsettings.json sits beside the executable, wherever the server is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Limits:MaxBodyBytes", DefaultMaxBodyBytes);
        });
        builder.AddRequestHeaderLimits();
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<CustomerIdRouteConstraint>(CustomerIdRouteConstraint.Name));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            AppJsonContext.Configure(o.SerializerOptions);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default);
        });
        builder.Services.AddStorage(builder.Configuration);
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddErrorResponses();
        builder.Services.AddSearchLimits();
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddHealth();
        builder.Services.AddApiDocumentation();

        var app = builder.Build();
        app.UseHttpConventions();
        app.UseRequestLogging();
        app.UseErrorResponses();
        app.UseRequestHeaderLimits();
        app.UseAuthentication();
        app.UseAccountRateLimiting();
        // Authorization refuses a request without a valid key from its headers alone, before the body is read.
        app.UseAuthorization();
        app.UseRequestBodyLimit();
        app.MapCustomers();
        app.MapEvents();
        app.MapHealth();
        app.MapApiDocumentation();
        return app;
    }
}
