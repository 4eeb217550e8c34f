using System.Security.Claims;
using System.Text.Json;
using Clientele.Auth;
using Clientele.Errors;
using Clientele.Json;
using Clientele.OpenApi;
using Clientele.Search;
using Clientele.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clientele.Customers;

public static class CustomersApi
{

    public static RouteGroupBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").RequireAuthorization().WithTags("Customers").ProducesErrors(ApiDocumentation.CommonErrors);
        group.MapGet("", List);
        group.MapPost("", Create).DocumentsBody<CustomerBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{id:customerId}", Get);
        group.MapPut("/{id:customerId}", Replace).DocumentsBody<CustomerBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapPatch("/{id:customerId}", Merge).DocumentsBody<CustomerBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapDelete("/{id:customerId}", Delete);
        group.MapPut("/{id:customerId}/tags", AddTags).DocumentsBody<TagsBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapDelete("/{id:customerId}/tags", RemoveTags).DocumentsBody<TagsBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapCustomerBatch().DocumentsBody<BatchItemBody[]>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        group.MapCustomerSearch().DocumentsBody<SearchBody>().ProducesErrors(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    public static async Task<Results<Ok<CustomerListResponse>, BadRequest<ErrorEnvelope>>> List(
        HttpRequest request, ClaimsPrincipal user, ICustomerStore store, SearchLimits limits, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var (query, error) = ListParameters.Parse(q["sort"], q["order"], q["offset"], q["limit"]);
        if (query is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        var accountId = user.AccountId();
        var page = await limits.RunAsync(accountId, ct => store.SearchAsync(accountId, CustomerSearch.All(query), ct), cancellationToken);
        return TypedResults.Ok(CustomerListResponse.From(page));
    }

    public static async Task<Results<Ok<CustomerResponse>, NotFound<ErrorEnvelope>>> Get(
        string id, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken)
    {
        if (CustomerIds.TryParse(id, out var customerId) && await store.FindAsync(user.AccountId(), customerId, cancellationToken) is { } customer)
        {
            return TypedResults.Ok(CustomerResponse.From(customer));
        }
        return ErrorResponses.CustomerNotFound();
    }

    public static async Task<Results<Created<CustomerResponse>, BadRequest<ErrorEnvelope>>> Create(
        HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken)
    {
        var (edit, error) = await ReadEditAsync(request, replace: true, cancellationToken);
        if (edit is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        var outcome = await store.CreateAsync(user.AccountId(), edit, cancellationToken);
        if (!outcome.Succeeded)
        {
            return ErrorResponses.BadRequest(ErrorsOf(outcome));
        }
        var customer = CustomerResponse.From(outcome.Customer!);
        return TypedResults.Created($"/v1/customers/{customer.Id}", customer);
    }

    /// <summary>PUT: every writable field the body leaves out becomes null / false / empty.</summary>
    public static Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> Replace(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken) =>
        UpdateAsync(id, request, user, store, replace: true, cancellationToken);

    /// <summary>PATCH: only the fields present change.</summary>
    public static Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> Merge(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken) =>
        UpdateAsync(id, request, user, store, replace: false, cancellationToken);

    public static async Task<Results<Ok<string>, NotFound<ErrorEnvelope>>> Delete(
        string id, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken)
    {
        if (CustomerIds.TryParse(id, out var customerId) && await store.DeleteAsync(user.AccountId(), customerId, cancellationToken))
        {
            // HelpCrunch answers a delete with the JSON string "Ok".
            return TypedResults.Ok("Ok");
        }
        return ErrorResponses.CustomerNotFound();
    }

    public static Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> AddTags(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken) =>
        ChangeTagsAsync(id, request, user, store, CustomerEdit.AddTags, cancellationToken);

    public static Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> RemoveTags(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store, CancellationToken cancellationToken) =>
        ChangeTagsAsync(id, request, user, store, CustomerEdit.RemoveTags, cancellationToken);

    private static async Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> UpdateAsync(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store, bool replace, CancellationToken cancellationToken)
    {
        if (!CustomerIds.TryParse(id, out var customerId))
        {
            return ErrorResponses.CustomerNotFound();
        }
        var (edit, error) = await ReadEditAsync(request, replace, cancellationToken);
        if (edit is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        return ToResult(await store.UpdateAsync(user.AccountId(), customerId, edit, cancellationToken));
    }

    /// <summary>Tag routes take <c>{"tags":[{"name","color"?}]}</c>; the DELETE one carries it as a JSON body too.</summary>
    private static async Task<Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>>> ChangeTagsAsync(
        string id, HttpRequest request, ClaimsPrincipal user, ICustomerStore store,
        Func<IReadOnlyList<TagRecord>, CustomerEdit> change, CancellationToken cancellationToken)
    {
        if (!CustomerIds.TryParse(id, out var customerId))
        {
            return ErrorResponses.CustomerNotFound();
        }
        var (document, error) = await RequestJson.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return ErrorResponses.BadRequest(error!);
        }
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return ErrorResponses.BadRequest(RequestJson.WrongTopLevel("object"));
            }
            var errors = new ErrorList();
            var tags = body.TryGetProperty("tags", out var value)
                ? CustomerFields.ReadTagList(value, "tags", errors)
                : null;
            if (tags is null)
            {
                return ErrorResponses.BadRequest(errors.Count > 0 ? errors.ToEnvelope() : ErrorEnvelope.Of("tags", Validation.NotBlank));
            }
            return ToResult(await store.UpdateAsync(user.AccountId(), customerId, change(tags), cancellationToken));
        }
    }

    private static async Task<(CustomerEdit? Edit, ErrorEnvelope? Error)> ReadEditAsync(HttpRequest request, bool replace, CancellationToken cancellationToken)
    {
        var (document, error) = await RequestJson.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, error);
        }
        using (document)
        {
            return CustomerEdit.FromBody(document.RootElement, replace);
        }
    }

    private static Results<Ok<CustomerResponse>, BadRequest<ErrorEnvelope>, NotFound<ErrorEnvelope>> ToResult(WriteOutcome outcome) =>
        outcome.Status switch
        {
            WriteStatus.Ok => TypedResults.Ok(CustomerResponse.From(outcome.Customer!)),
            WriteStatus.NotFound => ErrorResponses.CustomerNotFound(),
            _ => ErrorResponses.BadRequest(ErrorsOf(outcome)),
        };

    private static ErrorEnvelope ErrorsOf(WriteOutcome outcome) =>
        outcome.Status == WriteStatus.DuplicateUserId ? ErrorCodes.UserIdTaken : outcome.Errors!;
}
