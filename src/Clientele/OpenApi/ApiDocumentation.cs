using Clientele.Customers;
using Clientele.Errors;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Clientele.OpenApi;

/// <summary><c>/openapi/v1.json</c>, generated from the endpoints, and a browsable reference at <c>/docs</c> (Scalar).</summary>
public static class ApiDocumentation
{
    private const string Bearer = "Bearer";
    private const string DocumentName = "documentName";
    private const string DocumentVersion = "v1";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Clientele — HelpCrunch REST API v1, Customers",
                    Version = "v1",
                    Description = "Every non-2xx answer is {\"errors\":[{\"code\",\"message\"}]}, the most specific code first.",
                };
                // Relative, as the paths are written (/v1/...): never a URL taken from the request's Host header.
                document.Servers = [new OpenApiServer { Url = "/" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [Bearer] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key: Authorization: Bearer KEY" },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().FirstOrDefault() is { } body)
                {
                    var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Description = "JSON, whatever the Content-Type header says (or without one)",
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                    };
                }
            });
            // Stored JSON is written as it is; say what it holds.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(RawJson))
                {
                    schema.Type = JsonSchemaType.Object;
                    schema.Description = "JSON as stored: customData maps each property to a string, a number (exactly as sent) or a boolean; event data is any object";
                }
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        // The one document by its own path: the template route answered an unknown name with a text/plain 404.
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options.WithTitle("Clientele API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous()
            .Add(endpoint =>
            {
                // Scalar serves its page for any /docs/{documentName}; there is one document, so another name is an unknown route.
                var page = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    if (context.GetRouteValue(DocumentName) is string name && name != DocumentVersion)
                    {
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }
                    return page(context);
                };
            });
        return app;
    }

    /// <summary>
    /// Documents the JSON body a handler reads itself. Not <c>Accepts&lt;T&gt;</c>: that would also make routing refuse
    /// requests without <c>Content-Type: application/json</c> (415), and real HelpCrunch clients send other types or none.
    /// </summary>
    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new DocumentedBody(typeof(T)));

    /// <summary>The error answers every authenticated route can give, with the envelope as their body.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorEnvelope), ["application/json"]));
        }
        return builder;
    }

    public static readonly int[] CommonErrors =
    [
        StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError,
        StatusCodes.Status503ServiceUnavailable,
    ];
}

/// <summary>Endpoint metadata naming the type that describes a route's request body.</summary>
public sealed record DocumentedBody(Type Type);
