using Clientele.Client;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

// Beside AddHttpClient, so it is found without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ClienteleClient"/> with the HTTP client factory.</summary>
public static class ClienteleServiceCollectionExtensions
{
    /// <summary>The name of the resilience handler <see cref="AddClienteleClient"/> adds.</summary>
    public const string ResilienceHandlerName = "clientele";

    /// <summary>
    /// Registers <see cref="ClienteleClient"/> as a typed client of <c>IHttpClientFactory</c> with a
    /// <c>Microsoft.Extensions.Http.Resilience</c> handler: 429 retried for every method, waiting what
    /// <c>Retry-After</c> asks (up to <see cref="ClienteleClientOptions.MaxRetryDelay"/>); network failures,
    /// timeouts, 408 and 5xx retried with exponential backoff for idempotent methods only; each attempt bounded by
    /// <see cref="ClienteleClientOptions.AttemptTimeout"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="ClienteleClientOptions.ApiKey"/> and, for anything but HelpCrunch itself, <see cref="ClienteleClientOptions.BaseAddress"/>.</param>
    /// <returns>The HTTP client builder, to add handlers or configure the primary handler.</returns>
    /// <example>
    /// <code>
    /// services.AddClienteleClient(o =>
    /// {
    ///     o.BaseAddress = new Uri("http://127.0.0.1:8080/v1/");
    ///     o.ApiKey = configuration["Clientele:ApiKey"];
    /// });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddClienteleClient(this IServiceCollection services, Action<ClienteleClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ClienteleClientOptions>().Configure(configure);
        var builder = services
            .AddHttpClient(typeof(ClienteleClient).FullName!)
            .AddTypedClient((http, provider) => new ClienteleClient(http, Options(provider)))
            // The resilience handler bounds each attempt; a whole-call timeout would cut a Retry-After wait short.
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(ResilienceHandlerName, (pipeline, context) =>
            ClienteleResilience.Configure(pipeline, Options(context.ServiceProvider)));
        return builder;
    }

    private static ClienteleClientOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<ClienteleClientOptions>>().Value;
}
