namespace Clientele.Http;

/// <summary>
/// What every answer shares whatever the route: <c>X-Content-Type-Options: nosniff</c>, so no browser reads an
/// answer as another type than it says; and HEAD answered on every GET route like the GET, without a body.
/// </summary>
public static class HttpConventions
{
    private static readonly object WasHead = new();

    /// <summary>Adds routing itself: a HEAD is routed as a GET (endpoints are mapped for GET only) and runs as the HEAD it is.</summary>
    public static WebApplication UseHttpConventions(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // At start, not now: the exception handler clears the headers before it writes its answer.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Request.Method = HttpMethods.Get;
                context.Items[WasHead] = WasHead;
            }
            return next(context);
        });
        app.UseRouting();
        app.Use((context, next) =>
        {
            if (context.Items.ContainsKey(WasHead))
            {
                // Kestrel sends no body for a HEAD, whatever the endpoint writes; the log names the method as sent.
                context.Request.Method = HttpMethods.Head;
            }
            return next(context);
        });
        return app;
    }
}
