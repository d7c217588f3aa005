using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Protocol;

namespace ChatPlatform.Gateway.Protocol;

/// <summary>
/// Writes the server's frames (docs/protocol.md) with the protocol's <see cref="FrameWriter"/>.
/// Each frame is built once into its own array, which can then be queued to any number of sockets.
/// </summary>
internal static class ServerFrames
{
    public static byte[] Welcome(string connectionId, string userId, string gatewayId)
    {
        var writer = FrameWriter.Begin(FrameTypes.Welcome);
        writer.WriteString("connection"u8, connectionId);
        writer.WriteString("user"u8, userId);
        writer.WriteString("gateway"u8, gatewayId);
        return FrameWriter.End(writer);
    }

    public static byte[] Ack(byte[]? requestId, string messageId, int recipients)
    {
        var writer = FrameWriter.Begin(FrameTypes.Ack);
        FrameWriter.WriteRawId(writer, requestId);
        writer.WriteString("message"u8, messageId);
        writer.WriteNumber("recipients"u8, recipients);
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

    public static byte[] Message(Delivery delivery)
    {
        var writer = FrameWriter.Begin(FrameTypes.Message);
        writer.WriteString("message"u8, delivery.MessageId);
        writer.WriteStartObject("from"u8);
        writer.WriteString("user"u8, delivery.FromUser);
        writer.WriteString("connection"u8, delivery.FromConnection);
        writer.WriteEndObject();
        FrameWriter.WriteTarget(writer, TargetField(delivery.Target.Kind), delivery.Target.Value);
        writer.WritePropertyName("body"u8);

        // Validated by the sending gateway's parser.
        writer.WriteRawValue(delivery.Body.Span, skipInputValidation: true);
        writer.WriteNumber("ts"u8, delivery.Timestamp);
        return FrameWriter.End(writer);
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
