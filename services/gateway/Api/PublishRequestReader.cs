using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Api;

/// <summary>
/// Reads <c>POST /api/v1/publish</c>'s body in one pass: <c>to</c> by the WebSocket parser's own
/// rules, <c>from</c>, and <c>body</c> kept as the raw JSON it was sent as. Unknown fields are
/// ignored, as in the WebSocket protocol. Every problem is a message for the caller.
/// </summary>
internal static class PublishRequestReader
{
    public sealed record Publish(MessageTarget Target, string From, ReadOnlyMemory<byte> Body);

    public static Publish? Read(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        MessageTarget? target = null;
        string? from = null;
        ReadOnlyMemory<byte>? body = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "the request body must be a JSON object such as {\"to\":{\"room\":\"lobby\"},\"from\":\"billing\",\"body\":{\"text\":\"hi\"}}";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("to"u8))
                {
                    reader.Read();
                    target = ClientFrameParser.ReadTarget(ref reader, out var targetProblem);
                    problem ??= targetProblem;
                }
                else if (reader.ValueTextEquals("from"u8))
                {
                    reader.Read();
                    from = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (from is null || !NameRules.IsValidSystemName(from))
                    {
                        reader.Skip();
                        from = null;
                        problem ??= "\"from\" must be a system sender name: 1-64 letters, digits, '-', '_' or '.'";
                    }
                }
                else if (reader.ValueTextEquals("body"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    body = json[start..(int)reader.BytesConsumed].ToArray();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Anything but whitespace after the object is an error (the reader throws on it).
            reader.Read();
        }
        catch (JsonException)
        {
            problem = "the request body is not valid JSON";
            return null;
        }

        problem ??= target is null ? "\"to\" is missing; use {\"user\":..}, {\"connection\":..}, {\"room\":..} or {\"everyone\":true}"
            : from is null ? "\"from\" is missing: the system sender recipients see, e.g. \"billing\""
            : body is null ? "\"body\" is missing: the message, any JSON value"
            : null;
        return problem is null ? new Publish(target!.Value, from!, body!.Value) : null;
    }
}
