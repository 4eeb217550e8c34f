using System.Security.Claims;
using Clientele.Auth;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Json;
using Clientele.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clientele.Search;

public static class SearchApi
{
    public static IServiceCollection AddSearchLimits(this IServiceCollection services) => services.AddSingleton<SearchLimits>();

    public static RouteHandlerBuilder MapCustomerSearch(this RouteGroupBuilder customers) => customers.MapPost("/search", Search);

    public static async Task<Results<Ok<CustomerListResponse>, BadRequest<ErrorEnvelope>>> Search(
        HttpRequest request, ClaimsPrincipal user, ICustomerStore store, SearchLimits limits, CancellationToken cancellationToken)
    {
        var (document, error) = await RequestJson.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        CustomerSearch? search;
        using (document)
        {
            (search, error) = SearchRequest.Read(document.RootElement);
        }
        if (search is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        var accountId = user.AccountId();
        var page = await limits.RunAsync(accountId, ct => store.SearchAsync(accountId, search, ct), cancellationToken);
        return TypedResults.Ok(CustomerListResponse.From(page));
    }
}
