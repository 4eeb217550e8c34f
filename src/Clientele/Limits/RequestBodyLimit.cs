namespace Clientele.Limits;

/// <summary>
/// Holds every request body to the size limit before any handler runs. Kestrel enforces the limit only while
/// a body is read, so a route that ignores its body (a DELETE carrying one) would otherwise act on a request
/// over the limit instead of refusing it with 413.
/// </summary>
public static class RequestBodyLimit
{
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0))
            {
                // Read to the end without consuming: the limit throws here (and answers 413 through the error
                // seam); the handler then reads the same bytes from the pipe.
                var reader = request.BodyReader;
                while (true)
                {
                    var read = await reader.ReadAsync(context.RequestAborted);
                    reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        break;
                    }
                }
            }
            await next(context);
        });
        return app;
    }
}
