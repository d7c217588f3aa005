using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>
/// Parses a client's text frame in one pass without building a document. Every way a frame can
/// be wrong becomes a <see cref="ProtocolError"/> with a message a person can act on; the
/// frame's <c>id</c> is carried into the error whenever it could be read.
/// Unknown fields are ignored so clients may send newer fields to older gateways.
/// Over 350 lines on purpose: one reader pass holds every field of every frame type, and each
/// way a frame can be wrong has its own message; split up, the pass would have to hand its
/// state around.
/// </summary>
internal static class ClientFrameParser
{
    public const int MaxRequestIdBytes = 128;
    private const int MaxEchoedTypeLength = 32;
    private const string Targets = "\"user\", \"connection\", \"room\" or \"everyone\"";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <remarks>A send command's body points into <paramref name="frame"/>.</remarks>
    public static bool TryParse(
        ReadOnlyMemory<byte> frame,
        [NotNullWhen(true)] out ClientCommand? command,
        [NotNullWhen(false)] out ProtocolError? error)
    {
        command = null;
        if (!Utf8.IsValid(frame.Span))
        {
            error = new ProtocolError(null, ErrorCodes.BadRequest, "the frame is not valid UTF-8");
            return false;
        }

        var fields = new Fields();
        try
        {
            ReadFields(frame, ref fields);
        }
        catch (JsonException exception)
        {
            error = new ProtocolError(fields.RequestId, ErrorCodes.BadRequest, $"malformed JSON: {Describe(exception)}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString throws this, not a JsonException, for an escape that decodes to invalid UTF-16.
            error = new ProtocolError(fields.RequestId, ErrorCodes.BadRequest, "malformed JSON: a string escapes an unpaired surrogate");
            return false;
        }

        error = Validate(ref fields, out command);
        return error is null;
    }

    private static void ReadFields(ReadOnlyMemory<byte> frame, ref Fields fields)
    {
        var reader = new Utf8JsonReader(frame.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            fields.Problem = "a frame must be a JSON object";
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    fields.Type = reader.GetString();
                }
                else
                {
                    fields.TypeProblem = "\"type\" must be a string";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var raw = frame.Span[start..(int)reader.BytesConsumed];
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number && raw.Length <= MaxRequestIdBytes)
                {
                    fields.RequestId = raw.ToArray();
                }
                else
                {
                    fields.IdProblem = $"\"id\" must be a string or a number of at most {MaxRequestIdBytes} bytes";
                }
            }
            else if (reader.ValueTextEquals(TargetFields.To))
            {
                reader.Read();
                fields.Target = ReadTarget(ref reader, out fields.TargetProblem);
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                fields.Body = frame[start..(int)reader.BytesConsumed];
            }
            else if (reader.ValueTextEquals("room"u8))
            {
                reader.Read();
                fields.Room = ReadName(ref reader, TargetKind.Room, "room", out fields.RoomProblem);
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.True)
                {
                    // history's "user":true, the caller's own stream.
                    fields.OwnUser = true;
                }
                else
                {
                    fields.User = ReadName(ref reader, TargetKind.User, "user", out fields.UserProblem);
                }
            }
            else if (reader.ValueTextEquals("limit"u8))
            {
                reader.Read();
                fields.Limit = ReadCount(ref reader, "limit", 1, HistoryCommand.MaxLimit, out fields.LimitProblem);
            }
            else if (reader.ValueTextEquals("before"u8))
            {
                reader.Read();
                fields.Before = ReadCount(ref reader, "before", 1, long.MaxValue, out fields.BeforeProblem);
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

    /// <summary>Reads a <c>to</c> object at the reader (also the server API's publish, docs/api.md).</summary>
    public static MessageTarget? ReadTarget(ref Utf8JsonReader reader, out string? problem)
    {
        problem = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            problem = "\"to\" must be an object such as {\"user\":\"bob\"}";
            return null;
        }

        MessageTarget? target = null;
        var named = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = reader.ValueTextEquals(TargetFields.User) ? TargetKind.User
                : reader.ValueTextEquals(TargetFields.Connection) ? TargetKind.Connection
                : reader.ValueTextEquals(TargetFields.Room) ? TargetKind.Room
                : reader.ValueTextEquals(TargetFields.Everyone) ? TargetKind.Everyone
                : (TargetKind?)null;
            var name = reader.GetString();
            reader.Read();
            if (kind is null)
            {
                reader.Skip();
                problem ??= $"unknown target \"{Truncate(name)}\" in \"to\"; use {Targets}";
                continue;
            }

            named++;
            if (kind == TargetKind.Everyone)
            {
                if (reader.TokenType == JsonTokenType.True)
                {
                    target = MessageTarget.Everyone;
                }
                else
                {
                    reader.Skip();
                    problem ??= "\"to.everyone\" must be true";
                }

                continue;
            }

            var value = ReadName(ref reader, kind.Value, $"to.{name}", out var nameProblem);
            problem ??= nameProblem;
            if (value is not null)
            {
                target = new MessageTarget(kind.Value, value);
            }
        }

        if (problem is null && named != 1)
        {
            problem = named == 0
                ? $"\"to\" must name one of {Targets}"
                : "\"to\" must name exactly one target";
        }

        return problem is null ? target : null;
    }

    /// <summary>Reads a whole number from <paramref name="min"/> to <paramref name="max"/> at the reader.</summary>
    private static long? ReadCount(ref Utf8JsonReader reader, string field, long min, long max, out string? problem)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= min && value <= max)
        {
            problem = null;
            return value;
        }

        reader.Skip();
        problem = max == long.MaxValue ? $"\"{field}\" must be a whole number of at least {min}" : $"\"{field}\" must be a whole number from {min} to {max}";
        return null;
    }

    /// <summary>Reads a user name, connection id or room name at the reader, checking it follows <see cref="NameRules"/>.</summary>
    private static string? ReadName(ref Utf8JsonReader reader, TargetKind kind, string field, out string? problem)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            problem = $"\"{field}\" must be a string";
            return null;
        }

        var value = reader.GetString()!;
        problem = NameRules.IsValid(kind, value) ? null : $"\"{field}\" must be {NameRules.Describe(kind)}";
        return problem is null ? value : null;
    }

    private static ProtocolError? Validate(ref Fields fields, out ClientCommand? command)
    {
        command = null;
        var id = fields.RequestId;
        if (fields.Problem is { } problem)
        {
            return new ProtocolError(id, ErrorCodes.BadRequest, problem);
        }

        if (fields.IdProblem is { } idProblem)
        {
            return new ProtocolError(null, ErrorCodes.BadRequest, idProblem);
        }

        if (fields.TypeProblem is { } typeProblem)
        {
            return new ProtocolError(id, ErrorCodes.BadRequest, typeProblem);
        }

        string? invalid;
        (command, invalid) = fields.Type switch
        {
            null => (null, "missing \"type\""),
            FrameTypes.Send => ValidateSend(ref fields),
            FrameTypes.Join => fields.RoomProblem is { } roomProblem ? (null, roomProblem)
                : fields.Room is { } joined ? (new JoinCommand(id, joined), null)
                : (null, "\"join\" needs a \"room\""),
            FrameTypes.Leave => fields.RoomProblem is { } roomProblem ? (null, roomProblem)
                : fields.Room is { } left ? (new LeaveCommand(id, left), null)
                : (null, "\"leave\" needs a \"room\""),
            FrameTypes.Presence => ValidatePresence(ref fields),
            FrameTypes.History => ValidateHistory(ref fields),
            _ => (null, null),
        };

        if (invalid is not null)
        {
            return new ProtocolError(id, ErrorCodes.BadRequest, invalid);
        }

        return command is null
            ? new ProtocolError(id, ErrorCodes.UnknownType, $"unknown type \"{Truncate(fields.Type)}\"")
            : null;
    }

    private static (ClientCommand?, string?) ValidateSend(ref Fields fields)
    {
        if (fields.TargetProblem is { } targetProblem)
        {
            return (null, targetProblem);
        }

        if (fields.Target is not { } target)
        {
            return (null, "\"send\" needs \"to\", such as {\"user\":\"bob\"}");
        }

        if (fields.Body is not { } body)
        {
            return (null, "\"send\" needs a \"body\" (any JSON value)");
        }

        return (new SendCommand(fields.RequestId, target, body), null);
    }

    private static (ClientCommand?, string?) ValidatePresence(ref Fields fields)
    {
        if ((fields.RoomProblem ?? fields.UserProblem) is { } nameProblem)
        {
            return (null, nameProblem);
        }

        return (fields.Room, fields.User) switch
        {
            ({ } room, null) => (new PresenceCommand(fields.RequestId, MessageTarget.Room(room)), null),
            (null, { } user) => (new PresenceCommand(fields.RequestId, MessageTarget.User(user)), null),
            _ => (null, "\"presence\" needs exactly one of \"room\" or \"user\""),
        };
    }

    private static (ClientCommand?, string?) ValidateHistory(ref Fields fields)
    {
        if ((fields.RoomProblem ?? fields.LimitProblem ?? fields.BeforeProblem) is { } problem)
        {
            return (null, problem);
        }

        var limit = (int)(fields.Limit ?? HistoryCommand.DefaultLimit);
        return (fields.Room, fields.OwnUser, fields.User ?? (object?)fields.UserProblem) switch
        {
            ({ } room, false, null) => (new HistoryCommand(fields.RequestId, room, limit, fields.Before), null),
            (null, true, null) => (new HistoryCommand(fields.RequestId, null, limit, fields.Before), null),
            _ => (null, "\"history\" needs exactly one of \"room\" or \"user\":true"),
        };
    }

    private static string Describe(JsonException exception)
    {
        // "'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 7." -> keep the first sentence and the position.
        var message = exception.Message;
        var end = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        var text = end > 0 ? message[..end].TrimEnd('.') : message;
        return exception.BytePositionInLine is { } position ? $"{text} (at byte {position})" : text;
    }

    private static string? Truncate(string? value) =>
        value is { Length: > MaxEchoedTypeLength } ? value[..MaxEchoedTypeLength] + "…" : value;

    private struct Fields
    {
        public string? Type;
        public byte[]? RequestId;
        public MessageTarget? Target;
        public ReadOnlyMemory<byte>? Body;
        public string? Room;
        public string? User;
        public string? Problem;
        public string? TypeProblem;
        public string? IdProblem;
        public string? TargetProblem;
        public string? RoomProblem;
        public string? UserProblem;
        public bool OwnUser;
        public long? Limit;
        public string? LimitProblem;
        public long? Before;
        public string? BeforeProblem;
    }
}
