using Clientele.Errors;

namespace Clientele.Limits;

/// <summary>
/// Limits on the request line and headers, answered with the error envelope. Kestrel's own limits sit above
/// these (twice as large) as the outer guard: a request past them is refused by Kestrel before the app sees it,
/// with the bare status and no body.
/// </summary>
public static class RequestHeaderLimits
{
    public const int DefaultMaxUrlBytes = 8 * 1024;
    public const int DefaultMaxHeaderBytes = 32 * 1024;

    public static WebApplicationBuilder AddRequestHeaderLimits(this WebApplicationBuilder builder)
    {
        var limits = Read(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = 2 * limits.MaxUrlBytes + 64;
            kestrel.Limits.MaxRequestHeadersTotalSize = 2 * limits.MaxHeaderBytes;
        });
        return builder;
    }

    public static WebApplication UseRequestHeaderLimits(this WebApplication app)
    {
        var limits = Read(app.Configuration);
        app.Use((context, next) =>
        {
            var request = context.Request;
            var url = (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
            if (url > limits.MaxUrlBytes)
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status414UriTooLong, ErrorEnvelope.Of(ErrorCodes.UriTooLong,
                    $"The request path and query string are longer than the limit of {limits.MaxUrlBytes} characters."));
            }
            var headers = 0;
            foreach (var (name, values) in request.Headers)
            {
                // Name, ": ", value and CRLF, as on the wire.
                headers += name.Length + 4 + values.Sum(v => v?.Length ?? 0);
            }
            if (headers > limits.MaxHeaderBytes)
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, ErrorEnvelope.Of(ErrorCodes.HeadersTooLarge,
                    $"The request headers are larger than the limit of {limits.MaxHeaderBytes} bytes."));
            }
            return next(context);
        });
        return app;
    }

    private static (int MaxUrlBytes, int MaxHeaderBytes) Read(IConfiguration configuration) =>
        (configuration.GetValue("Limits:MaxUrlBytes", DefaultMaxUrlBytes), configuration.GetValue("Limits:MaxHeaderBytes", DefaultMaxHeaderBytes));
}
