using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>An event recorded for a customer by <see cref="ClienteleClient.TrackEventAsync"/>.</summary>
public sealed record CustomerEvent
{
    /// <summary>The event's id.</summary>
    public long Id { get; init; }

    /// <summary>The event's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The data sent with the event, if any.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>When the server recorded it, to the second.</summary>
    [JsonConverter(typeof(UnixSecondsConverter))]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The customer it belongs to.</summary>
    [JsonPropertyName("customer")]
    public long CustomerId { get; init; }
}
