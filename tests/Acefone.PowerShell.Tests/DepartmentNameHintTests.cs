using System;
using Acefone.Client;
using Acefone.PowerShell;
using Xunit;

namespace Acefone.PowerShell.Tests
{
    /// <summary>-Intercom given a department's name: refused, and the refusal says which intercom (or intercoms) it has.</summary>
    public class DepartmentNameHintTests
    {
        private static AcefoneDepartment Department(string id, string name, string? intercom) =>
            new AcefoneDepartment(id, Array.Empty<AcefoneDepartmentAgent>()) { Name = name, Intercom = intercom };

        private static AcefoneInputException Refused(string value) =>
            new AcefoneInputException(InputField.Intercom, value, "is not valid: a destination is digits 0-9.");

        [Fact]
        public void One_department_of_that_name_is_named_with_its_intercom()
        {
            AcefoneInputException? explained = DepartmentNameHint.Explain(Refused(" sales "), new[] { Department("12", "Sales", "8004"), Department("13", "Support", "8005") });
            Assert.NotNull(explained);
            Assert.Contains("department 'Sales' has intercom 8004; give that (-Intercom 8004)", explained!.Message);
        }

        [Fact]
        public void Two_departments_of_one_name_are_both_named_with_id_and_intercom()
        {
            AcefoneInputException? explained = DepartmentNameHint.Explain(Refused("Sales"), new[] { Department("12", "Sales", "8004"), Department("19", "sales", "8009"), Department("13", "Support", "8005") });
            Assert.NotNull(explained);
            Assert.Contains("is the name of 2 departments", explained!.Message);
            Assert.Contains("'Sales' (id 12) with intercom 8004", explained.Message);
            Assert.Contains("'sales' (id 19) with intercom 8009", explained.Message);
            Assert.DoesNotContain("8005", explained.Message);
        }

        [Fact]
        public void No_department_of_that_name_leaves_the_refusal_as_it_was()
        {
            Assert.Null(DepartmentNameHint.Explain(Refused("Marketing"), new[] { Department("12", "Sales", "8004") }));
            // Digits are never a name: a typo in a number is not worth a department listing.
            Assert.Null(DepartmentNameHint.Explain(Refused("804"), new[] { Department("12", "804", "8004") }));
        }
    }
}
