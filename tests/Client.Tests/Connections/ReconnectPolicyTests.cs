using System.Net.WebSockets;
using ChatPlatform.Client.Connections;

namespace ChatPlatform.Client.Tests.Connections;

public sealed class ReconnectPolicyTests
{
    [Theory]
    [InlineData(WebSocketCloseStatus.EndpointUnavailable, true)]
    [InlineData(WebSocketCloseStatus.InternalServerError, true)]
    [InlineData(WebSocketCloseStatus.PolicyViolation, true)]
    [InlineData(WebSocketCloseStatus.MessageTooBig, true)]
    [InlineData(WebSocketCloseStatus.NormalClosure, true)]
    [InlineData(WebSocketCloseStatus.ProtocolError, false)]
    [InlineData(WebSocketCloseStatus.InvalidMessageType, false)]
    [InlineData(WebSocketCloseStatus.InvalidPayloadData, false)]
    [InlineData((WebSocketCloseStatus)4000, false)]
    [InlineData((WebSocketCloseStatus)4001, true)]
    public void A_close_from_the_gateway_is_followed_by_a_reconnect_unless_it_says_the_client_broke_the_protocol_or_was_disconnected_by_the_server(WebSocketCloseStatus status, bool reconnect)
    {
        Assert.Equal(reconnect, ReconnectPolicy.ShouldReconnect(new ConnectionLoss(status, "", null, ByClient: false)));
    }

    [Fact]
    public void A_drop_is_followed_by_a_reconnect_and_the_clients_own_close_is_not()
    {
        Assert.True(ReconnectPolicy.ShouldReconnect(new ConnectionLoss(null, null, new WebSocketException(), ByClient: false)));
        Assert.False(ReconnectPolicy.ShouldReconnect(new ConnectionLoss(WebSocketCloseStatus.NormalClosure, null, null, ByClient: true)));
    }

    [Theory]
    [InlineData(400, false, true)]
    [InlineData(400, true, true)]
    [InlineData(401, false, true)]
    [InlineData(401, true, false)]
    [InlineData(403, false, true)]
    [InlineData(503, false, false)]
    [InlineData(null, false, false)]
    public void Only_refusals_that_cannot_change_end_reconnecting(int? status, bool tokenProvider, bool fatal)
    {
        var failure = status is { } code
            ? new ChatException(ChatErrorCodes.ConnectFailed, "refused", code, null)
            : new ChatException(ChatErrorCodes.ConnectFailed, "unreachable");

        Assert.Equal(fatal, ReconnectPolicy.IsFatal(failure, tokenProvider));
    }
}
