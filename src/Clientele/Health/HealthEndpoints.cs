using Clientele.Errors;
using Clientele.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Clientele.Health;

/// <summary>
/// <c>GET /healthz</c>, without auth: 200 while the database answers and can take writes, 503 with the error envelope
/// (spec §6's storage message) when it cannot.
/// </summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"status":"ok"}""");
        }
        return ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable);
    }

    private sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await database.PingAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
    }
}
