using System.Text;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    public class RequestBodyTests
    {
        private static string Body(CallOptionRequest request) => Encoding.UTF8.GetString(CallOptionJson.Write(request));

        [Theory]
        [InlineData(CallOperation.Monitor, 1)]
        [InlineData(CallOperation.Whisper, 2)]
        [InlineData(CallOperation.Barge, 3)]
        public void Supervisor_operations_send_type_as_integer_and_agent_id_as_string_with_leading_zero(CallOperation operation, int type)
        {
            var request = CallOptionRequest.Create(operation, "1714657799.11930963", "0502842370097");
            Assert.Equal($"{{\"type\":{type},\"call_id\":\"1714657799.11930963\",\"agent_id\":\"0502842370097\"}}", Body(request));
        }

        [Fact]
        public void One_destination_goes_out_as_a_string()
        {
            Assert.Equal("{\"type\":4,\"call_id\":\"175XXXX218.8118\",\"intercom\":\"80044\"}",
                Body(CallOptionRequest.Create(CallOperation.Transfer, "175XXXX218.8118", null, new[] { "80044" })));
        }

        [Fact]
        public void Several_destinations_go_out_as_an_array()
        {
            Assert.Equal("{\"type\":4,\"call_id\":\"1.2\",\"intercom\":[\"9876543210\",\"8004\"]}",
                Body(CallOptionRequest.Create(CallOperation.Transfer, "1.2", null, new[] { "9876543210", "8004" })));
        }

        [Fact]
        public void A_comma_separated_cell_is_several_destinations()
        {
            var request = CallOptionRequest.Create(CallOperation.Transfer, "1.2", null, new[] { " 9876543210 , 8004" });
            Assert.Equal(new[] { "9876543210", "8004" }, request.Intercom);
            Assert.Equal("9876543210,8004", request.IntercomText);
        }

        [Fact]
        public void Call_ids_are_opaque_and_escaped_not_validated_by_shape()
        {
            var request = CallOptionRequest.Create(CallOperation.Transfer, "CAGE011-T8-1780735307.142\"}\\", null, new[] { "+919876543210" });
            Assert.Equal("{\"type\":4,\"call_id\":\"CAGE011-T8-1780735307.142\\\"}\\\\\",\"intercom\":\"+919876543210\"}", Body(request));
        }

        [Fact]
        public void No_field_is_null()
        {
            Assert.DoesNotContain("null", Body(CallOptionRequest.Create(CallOperation.Monitor, "1.2", "01")));
            Assert.DoesNotContain("agent_id", Body(CallOptionRequest.Create(CallOperation.Transfer, "1.2", null, new[] { "8004" })));
        }

        [Fact]
        public void Login_body_uses_the_named_field()
        {
            Assert.Equal("{\"login_id\":\"admin\",\"password\":\"p\\\"w\"}", Encoding.UTF8.GetString(RequestJson.Login("login_id", "admin", "p\"w")));
        }
    }
}
