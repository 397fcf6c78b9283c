using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Acefone.Client
{
    internal sealed class LoginCredential : AcefoneCredential
    {
        internal LoginCredential(string loginId, SecureString password)
        {
            LoginId = loginId;
            Password = password;
        }

        internal string LoginId { get; }
        internal SecureString Password { get; }
        public override AcefoneAuthKind Kind => AcefoneAuthKind.Login;
    }
}
