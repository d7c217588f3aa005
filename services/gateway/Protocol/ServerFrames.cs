using System.Text.Json;
using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>
/// Writes the server's frames (docs/protocol.md) with the protocol's <see cref="FrameWriter"/>.
/// Each frame is built once into its own array, which can then be queued to any number of sockets.
/// </summary>
internal static class ServerFrames
{
    public static byte[] Welcome(string connectionId, string userId, string gatewayId, string session)
    {
        var writer = FrameWriter.Begin(FrameTypes.Welcome);
        writer.WriteString("connection"u8, connectionId);
        writer.WriteString("user"u8, userId);
        writer.WriteString("gateway"u8, gatewayId);
        writer.WriteString("session"u8, session);
        return FrameWriter.End(writer);
    }

    public static byte[] Ack(byte[]? requestId, string messageId, int recipients, bool stored)
    {
        var writer = FrameWriter.Begin(FrameTypes.Ack);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("message"u8, messageId);
        writer.WriteNumber("recipients"u8, recipients);
        if (stored)
        {
            writer.WriteBoolean("stored"u8, true);
        }

        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"recovered","rooms":[..],"messages":N,"complete":true}</c>: the end of a resume.</summary>
    public static byte[] Recovered(IReadOnlyList<string> rooms, int messages, bool complete)
    {
        var writer = FrameWriter.Begin(FrameTypes.Recovered);
        writer.WriteStartArray("rooms"u8);
        foreach (var room in rooms)
        {
            writer.WriteStringValue(room);
        }

        writer.WriteEndArray();
        writer.WriteNumber("messages"u8, messages);
        writer.WriteBoolean("complete"u8, complete);
        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"history","id":..,"stream":"room:lobby","epoch":"..","messages":[..]}</c>, the messages oldest first.</summary>
    public static byte[] History(byte[]? requestId, string stream, string epoch, IReadOnlyList<Delivery> messages)
    {
        var writer = FrameWriter.Begin(FrameTypes.History);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("stream"u8, stream);
        writer.WriteString("epoch"u8, epoch);
        writer.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, FrameTypes.Message);
            WriteMessageFields(writer, message, recovered: false);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"ack","id":..,"room":"lobby"}</c>: a join or leave took effect.</summary>
    public static byte[] RoomAck(byte[]? requestId, string room)
    {
        var writer = FrameWriter.Begin(FrameTypes.Ack);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("room"u8, room);
        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"presence","id":..,"room":"lobby","users":[..]}</c></summary>
    public static byte[] RoomPresence(byte[]? requestId, string room, IReadOnlyList<string> users)
    {
        var writer = FrameWriter.Begin(FrameTypes.Presence);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("room"u8, room);
        writer.WriteStartArray("users"u8);
        foreach (var user in users)
        {
            writer.WriteStringValue(user);
        }

        writer.WriteEndArray();
        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"presence","id":..,"user":"bob","online":true,"connections":2}</c></summary>
    public static byte[] UserPresence(byte[]? requestId, string userId, int connections)
    {
        var writer = FrameWriter.Begin(FrameTypes.Presence);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("user"u8, userId);
        writer.WriteBoolean("online"u8, connections > 0);
        writer.WriteNumber("connections"u8, connections);
        return FrameWriter.End(writer);
    }

    /// <summary><c>{"type":"joined","room":"lobby","user":"bob"}</c> or <c>"left"</c>.</summary>
    public static byte[] Membership(MembershipEvent membership)
    {
        var writer = FrameWriter.Begin(membership.Kind == MembershipEventKind.Joined ? FrameTypes.Joined : FrameTypes.Left);
        writer.WriteString("room"u8, membership.Room);
        writer.WriteString("user"u8, membership.UserId);
        return FrameWriter.End(writer);
    }

    public static byte[] Error(byte[]? requestId, string code, string message)
    {
        var writer = FrameWriter.Begin(FrameTypes.Error);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("code"u8, code);
        writer.WriteString("message"u8, message);
        return FrameWriter.End(writer);
    }

    public static byte[] Error(ProtocolError error) => Error(error.RequestId, error.Code, error.Message);

    /// <param name="recovered">Sent again while a connection resumes: marked <c>"recovered":true</c>.</param>
    public static byte[] Message(Delivery delivery, bool recovered = false)
    {
        var writer = FrameWriter.Begin(FrameTypes.Message);
        WriteMessageFields(writer, delivery, recovered);
        return FrameWriter.End(writer);
    }

    private static void WriteMessageFields(Utf8JsonWriter writer, Delivery delivery, bool recovered)
    {
        writer.WriteString("message"u8, delivery.MessageId);
        writer.WriteStartObject("from"u8);
        if (delivery.FromSystem is { } system)
        {
            writer.WriteString("system"u8, system);
        }
        else
        {
            writer.WriteString("user"u8, delivery.FromUser);
            writer.WriteString("connection"u8, delivery.FromConnection);
        }

        writer.WriteEndObject();
        FrameWriter.WriteTarget(writer, TargetField(delivery.Target.Kind), delivery.Target.Value);
        writer.WritePropertyName("body"u8);

        // Validated by the sending gateway's parser.
        writer.WriteRawValue(delivery.Body.Span, skipInputValidation: true);
        writer.WriteNumber("ts"u8, delivery.Timestamp);
        if (delivery.Position is { } position)
        {
            writer.WriteString("stream"u8, position.Stream);
            writer.WriteNumber("offset"u8, position.Offset);
        }

        if (recovered)
        {
            writer.WriteBoolean("recovered"u8, true);
        }
    }

    /// <summary>The <c>to</c> field that names a target of this kind.</summary>
    public static string TargetField(TargetKind kind) => kind switch
    {
        TargetKind.User => TargetFields.User,
        TargetKind.Connection => TargetFields.Connection,
        TargetKind.Room => TargetFields.Room,
        _ => TargetFields.Everyone,
    };
}
