using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Acefone.Client;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// Random and mutated answers: the parser and the whole session path may only return a result or raise the
    /// module's own <see cref="AcefoneException"/>. Seeds are fixed, so a failure reproduces.
    /// </summary>
    public class FuzzTests
    {
        private static readonly string[] Seeds =
        {
            "{\"success\":true,\"message\":\"Transfer request initiated\"}",
            "{\"success\":\"false\",\"message\":\"Too many requests.\"}",
            "{\"success\":false,\"message\":\"Invalid Call ID\",\"errors\":{\"call_id\":[\"x\"]}}",
            "{\"Success\":1,\"Message\":null,\"request_id\":\"4f1c\"}",
            "[{\"success\":true}]",
        };

        private static IEnumerable<byte[]> Bodies(int seed, int count)
        {
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                byte[] body;
                switch (i % 4)
                {
                    case 0: // random bytes
                        body = new byte[random.Next(0, 200)];
                        random.NextBytes(body);
                        break;
                    case 1: // a seed with bytes flipped
                        body = Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]);
                        for (int flips = random.Next(1, 6); flips > 0 && body.Length > 0; flips--)
                            body[random.Next(body.Length)] = (byte)random.Next(256);
                        break;
                    case 2: // a seed cut short
                        string text = Seeds[random.Next(Seeds.Length)];
                        body = Encoding.UTF8.GetBytes(text.Substring(0, random.Next(text.Length + 1)));
                        break;
                    default: // JSON-ish tokens strung together, sometimes deeply nested
                        string[] tokens = { "{", "}", "[", "]", "\"success\"", ":", ",", "true", "\"false\"", "null", "1e309", "\"\\u0000\"", "-0", "\"message\"" };
                        var builder = new StringBuilder();
                        if (random.Next(10) == 0) builder.Append(new string('[', 200));
                        for (int t = random.Next(1, 30); t > 0; t--) builder.Append(tokens[random.Next(tokens.Length)]);
                        body = Encoding.UTF8.GetBytes(builder.ToString());
                        break;
                }
                yield return body;
            }
        }

        [Fact]
        public void The_parser_only_returns_or_raises_InvalidResponse()
        {
            int parsed = 0, refused = 0;
            foreach (byte[] body in Bodies(20261125, 5000))
            {
                try
                {
                    ResponseJson.ReadStatus(body, body.Length);
                    parsed++;
                }
                catch (AcefoneException ex)
                {
                    Assert.Equal(AcefoneErrorKind.InvalidResponse, ex.Kind);
                    refused++;
                }
                ResponseJson.TryReadMessage(body, body.Length); // never throws
            }
            Assert.True(parsed > 0 && refused > 0, $"the corpus should exercise both paths ({parsed} parsed, {refused} refused)");
        }

        [Fact]
        public void Directory_parsers_only_return_or_raise_the_modules_error()
        {
            foreach (byte[] body in Bodies(7, 2000))
            {
                try
                {
                    using (var document = ResponseJson.Parse(body, body.Length))
                    {
                        DirectoryJson.ReadLiveCalls(document.RootElement);
                        DirectoryJson.ReadUserPage(document.RootElement);
                        DirectoryJson.ReadDepartments(document.RootElement);
                    }
                }
                catch (AcefoneException)
                {
                    // Any of the module's own kinds is fine (a random body may say success:false).
                }
            }
        }

        [Fact]
        public async Task A_session_fed_random_answers_only_returns_results_or_AcefoneExceptions()
        {
            // 429 is left out: it paces the whole session, and is covered by the rate-limit tests.
            int[] statuses = { 200, 200, 200, 201, 400, 401, 403, 404, 422, 500, 502, 503 };
            List<byte[]> bodies = Bodies(99, 400).ToList();
            var handler = new ScriptedHandler((_, _, n) =>
            {
                var response = new System.Net.Http.HttpResponseMessage((System.Net.HttpStatusCode)statuses[n % statuses.Length])
                {
                    Content = new System.Net.Http.ByteArrayContent(bodies[n % bodies.Count]),
                };
                return response;
            });
            using AcefoneSession session = Sessions.WithHandler(handler, Sessions.Options(maxRetries: 1));
            int results = 0, errors = 0;
            for (int i = 0; i < 400; i++)
            {
                try
                {
                    await session.InvokeCallOptionAsync(Sessions.Transfer("1." + i, "8004"));
                    results++;
                }
                catch (AcefoneException)
                {
                    errors++;
                }
            }
            Assert.Equal(400, results + errors);
        }
    }
}
