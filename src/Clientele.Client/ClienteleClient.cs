using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Clientele.Client.Json;
using Polly.Timeout;

namespace Clientele.Client;

/// <summary>
/// The HelpCrunch REST API v1 Customers endpoints and <c>POST /events</c>, over an injected <see cref="HttpClient"/>.
/// Register it with <see cref="Microsoft.Extensions.DependencyInjection.ClienteleServiceCollectionExtensions.AddClienteleClient"/>, which also adds retries;
/// thread-safe, so one instance serves the whole application.
/// </summary>
/// <remarks>
/// Every non-2xx answer throws <see cref="ClienteleApiException"/>. Network failures surface as
/// <see cref="HttpRequestException"/>, an attempt that timed out (after its retries) as <see cref="TimeoutException"/>,
/// and cancellation as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class ClienteleClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly ProductInfoHeaderValue UserAgent = new("Clientele.Client",
        typeof(ClienteleClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly AuthenticationHeaderValue _authorization;

    /// <summary>
    /// A client sending through <paramref name="httpClient"/> to <see cref="ClienteleClientOptions.BaseAddress"/> with
    /// <see cref="ClienteleClientOptions.ApiKey"/>. The retry settings of <paramref name="options"/> take effect only
    /// through <see cref="Microsoft.Extensions.DependencyInjection.ClienteleServiceCollectionExtensions.AddClienteleClient"/>, which builds the HTTP pipeline.
    /// </summary>
    /// <exception cref="ArgumentException">No API key, or a base address that is not absolute.</exception>
    public ClienteleClient(HttpClient httpClient, ClienteleClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            throw new ArgumentException("ClienteleClientOptions.ApiKey is required.", nameof(options));
        }
        if (options.BaseAddress is not { IsAbsoluteUri: true } baseAddress)
        {
            throw new ArgumentException("ClienteleClientOptions.BaseAddress must be an absolute URI such as https://api.helpcrunch.com/v1/.", nameof(options));
        }
        _http = httpClient;
        // Without the trailing slash, "customers" would resolve beside "v1" instead of under it.
        _baseAddress = baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.GetLeftPart(UriPartial.Path) + "/" + baseAddress.Query);
        _authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    /// <summary>The API root requests are sent under (always ending in <c>/</c>).</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>Every customer of the account, fetched page by page as you enumerate (<c>GET /customers</c>).</summary>
    /// <param name="options">Sort order, page size and starting offset; null for id order, 100 a page.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <remarks>Pages are read by offset: customers created or deleted while you enumerate may shift one across a page boundary.</remarks>
    public IAsyncEnumerable<Customer> ListCustomersAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default) =>
        PagesAsync(ListCustomersPageAsync, options, cancellationToken);

    /// <summary>One page of customers and the total count (<c>GET /customers?offset=&amp;limit=</c>).</summary>
    /// <param name="options">Sort order; <see cref="CustomerListOptions.Offset"/> and <see cref="CustomerListOptions.PageSize"/> select the page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<CustomerPage> ListCustomersPageAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CustomerListOptions();
        var query = $"customers?offset={options.Offset.ToString(CultureInfo.InvariantCulture)}&limit={options.PageSize.ToString(CultureInfo.InvariantCulture)}";
        if (options.SortParameter is { } sort)
        {
            query += $"&sort={Uri.EscapeDataString(sort)}&order={options.OrderParameter}";
        }
        return SendAsync(HttpMethod.Get, query, null, ClienteleJsonContext.Wire.CustomerPage, cancellationToken);
    }

    /// <summary>
    /// Every customer matching <paramref name="filter"/>, fetched page by page as you enumerate (<c>POST /customers/search</c>).
    /// </summary>
    /// <param name="filter">E.g. <c>Filter.Email.Contains("gmail") | Filter.Tag("VIP")</c>; null matches every customer.</param>
    /// <param name="options">Sort order, page size and starting offset.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<Customer> SearchCustomersAsync(Filter? filter, CustomerListOptions? options = null, CancellationToken cancellationToken = default) =>
        PagesAsync((o, ct) => SearchCustomersPageAsync(filter, o, ct), options, cancellationToken);

    /// <summary>One page of the customers matching <paramref name="filter"/> and their total count.</summary>
    /// <param name="filter">The filter; null matches every customer.</param>
    /// <param name="options">Sort order; <see cref="CustomerListOptions.Offset"/> and <see cref="CustomerListOptions.PageSize"/> select the page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<CustomerPage> SearchCustomersPageAsync(Filter? filter, CustomerListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CustomerListOptions();
        var body = new SearchBody(
            filter?.ToWire(),
            filter?.Comparison == FilterComparison.Or ? "OR" : null,
            options.SortParameter,
            options.SortParameter is null ? null : options.OrderParameter,
            options.Offset,
            options.PageSize);
        return SendAsync(HttpMethod.Post, "customers/search", Body(body, ClienteleJsonContext.Wire.SearchBody), ClienteleJsonContext.Wire.CustomerPage, cancellationToken);
    }

    /// <summary>One customer (<c>GET /customers/{id}</c>).</summary>
    /// <exception cref="ClienteleApiException">404 <c>entity_not_found</c> when the account has no such customer.</exception>
    public Task<Customer> GetCustomerAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, CustomerPath(id), null, ClienteleJsonContext.Wire.Customer, cancellationToken);

    /// <summary>Creates a customer (<c>POST /customers</c>); no field is required.</summary>
    /// <exception cref="ClienteleApiException">400 with the failing fields as codes, or <c>invalid_userId_value</c> for a <c>userId</c> already in use.</exception>
    public Task<Customer> CreateCustomerAsync(CustomerInput customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return SendAsync(HttpMethod.Post, "customers", Body(customer, ClienteleJsonContext.Wire.CustomerInput), ClienteleJsonContext.Wire.Customer, cancellationToken);
    }

    /// <summary>Replaces every writable field of a customer (<c>PUT /customers/{id}</c>): what <paramref name="customer"/> leaves unset becomes null, false, no tags, no custom data.</summary>
    public Task<Customer> ReplaceCustomerAsync(long id, CustomerInput customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return SendAsync(HttpMethod.Put, CustomerPath(id), Body(customer, ClienteleJsonContext.Wire.CustomerInput), ClienteleJsonContext.Wire.Customer, cancellationToken);
    }

    /// <summary>Changes only the fields assigned in <paramref name="update"/> (<c>PATCH /customers/{id}</c>).</summary>
    public Task<Customer> UpdateCustomerAsync(long id, CustomerUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return SendAsync(HttpMethod.Patch, CustomerPath(id), Body(update, ClienteleJsonContext.Wire.CustomerUpdate), ClienteleJsonContext.Wire.Customer, cancellationToken);
    }

    /// <summary>
    /// Applies 1–10 updates in one request, in order, all or nothing (<c>PUT /customers/batch</c>). Not split into
    /// several requests: that would lose the all-or-nothing guarantee.
    /// </summary>
    /// <returns>The updated customers, in the order of <paramref name="updates"/>.</returns>
    /// <exception cref="ClienteleApiException">400 with codes prefixed by the item index (<c>[2].email</c>), or 404 when a customer is not the account's; nothing changed.</exception>
    public async Task<IReadOnlyList<Customer>> UpdateCustomersAsync(IEnumerable<CustomerBatchUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        IReadOnlyList<CustomerBatchUpdate> items = [.. updates];
        var response = await SendAsync(HttpMethod.Put, "customers/batch", Body(items, ClienteleJsonContext.Wire.IReadOnlyListCustomerBatchUpdate),
            ClienteleJsonContext.Wire.BatchResponse, cancellationToken).ConfigureAwait(false);
        return response.Data;
    }

    /// <summary>Deletes a customer with its tag links and events (<c>DELETE /customers/{id}</c>); its <c>userId</c> becomes free.</summary>
    public async Task DeleteCustomerAsync(long id, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Delete, CustomerPath(id), null);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the tags the customer does not have yet (<c>PUT /customers/{id}/tags</c>).</summary>
    public Task<Customer> AddTagsAsync(long id, IEnumerable<Tag> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return SendAsync(HttpMethod.Put, CustomerPath(id) + "/tags", Body(new TagsBody([.. tags]), ClienteleJsonContext.Wire.TagsBody),
            ClienteleJsonContext.Wire.Customer, cancellationToken);
    }

    /// <summary>Removes the named tags from the customer; names it does not have are ignored (<c>DELETE /customers/{id}/tags</c>).</summary>
    public Task<Customer> RemoveTagsAsync(long id, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        return SendAsync(HttpMethod.Delete, CustomerPath(id) + "/tags", Body(new TagsBody([.. names.Select(n => new Tag(n))]), ClienteleJsonContext.Wire.TagsBody),
            ClienteleJsonContext.Wire.Customer, cancellationToken);
    }

    /// <summary>Records an event for a customer (<c>POST /events</c>).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="name">The event name (1–255 characters).</param>
    /// <param name="data">Any JSON object to keep with the event.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <remarks>Not retried on network failures or timeouts (it could be recorded twice); a 429 is retried.</remarks>
    public Task<CustomerEvent> TrackEventAsync(long customerId, string name, JsonObject? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SendAsync(HttpMethod.Post, "events", Body(new EventBody(name, data, customerId), ClienteleJsonContext.Wire.EventBody),
            ClienteleJsonContext.Wire.CustomerEvent, cancellationToken);
    }

    private static string CustomerPath(long id) => "customers/" + id.ToString(CultureInfo.InvariantCulture);

    private static async IAsyncEnumerable<Customer> PagesAsync(
        Func<CustomerListOptions, CancellationToken, Task<CustomerPage>> fetch, CustomerListOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var template = options ?? new CustomerListOptions();
        var offset = template.Offset;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetch(new CustomerListOptions
            {
                SortBy = template.SortBy,
                Order = template.Order,
                PageSize = template.PageSize,
                Offset = offset,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var customer in page.Customers)
            {
                yield return customer;
            }
            offset += page.Customers.Count;
            if (page.Customers.Count == 0 || offset >= page.Total)
            {
                yield break;
            }
        }
    }

    private static ByteArrayContent Body<T>(T value, JsonTypeInfo<T> type)
    {
        // Bytes rather than a stream: a retry sends the same content again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = Json;
        return content;
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = content };
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(UserAgent);
        return request;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, content);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            throw new ClienteleApiException(response.StatusCode, [], body, null, e);
        }
    }

    /// <summary>Sends and returns a 2xx response; anything else becomes a <see cref="ClienteleApiException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new TimeoutException($"{request.Method} {request.RequestUri} timed out: {e.Message}", e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new ClienteleApiException(response.StatusCode, ParseErrors(body), body, RetryAfterOf(response));
        }
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>The <c>errors[]</c> of an error body; empty when the body is not the envelope (a proxy's page, an empty body).</summary>
    private static IReadOnlyList<ClienteleError> ParseErrors(string body)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(body, ClienteleJsonContext.Wire.ErrorEnvelope);
            return envelope?.Errors is { } errors
                ? [.. errors.Where(e => e is not null).Select(e => new ClienteleError(e.Code ?? "", e.Message ?? ""))]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
