using System.Text.Json;

namespace ChatPlatform.Gateway.Api.Models;

/// <summary>
/// <c>POST /api/v1/publish</c>'s body, for the OpenAPI document; it is read by
/// <see cref="PublishRequestReader"/>, which says exactly what is wrong with a bad one.
/// </summary>
/// <param name="From">The system sender recipients see.</param>
/// <param name="Body">Any JSON value, passed through as it is.</param>
internal sealed record PublishRequest(ApiTarget To, string From, JsonElement Body);
