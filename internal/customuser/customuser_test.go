package customuser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// good is a configuration that uses every part of the schema.
const good = `{
  "version": "2",
  "seed": "my-seed",
  "override_accounts": [
    {
      "type": "depository", "subtype": "checking", "starting_balance": 1250.5, "force_available_balance": 1200,
      "currency": "USD",
      "meta": {"name": "Everyday", "official_name": "Everyday Checking", "mask": "4321"},
      "numbers": {"account": "9900009606", "ach_routing": "011401533", "ach_wire_routing": "021000021"},
      "transactions": [
        {"date_transacted": "2024-01-02", "date_posted": "2024-01-03", "amount": 12.5, "description": "Coffee"},
        {"date_transacted": "2024-01-04", "date_posted": "2024-01-04", "amount": -500, "description": "Payroll", "currency": "USD"}
      ],
      "identity": {"names": ["Jane Doe"], "emails": [{"data": "jane@example.com", "primary": true, "type": "primary"}],
        "addresses": [{"data": {"street": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US"}, "primary": true}]},
      "inflow_model": {"type": "monthly-income", "income_amount": 2000, "payment_day_of_month": 15, "transaction_name": "Salary"}
    },
    {
      "type": "credit", "starting_balance": 300, "meta": {"limit": 5000},
      "liability": {"type": "credit", "purchase_apr": 19.9, "minimum_payment_amount": 25, "is_overdue": false},
      "transactions": []
    },
    {
      "type": "loan", "subtype": "student",
      "liability": {"type": "student", "principal": 20000, "nominal_apr": 4.5, "loan_name": "Grad",
        "loan_status": {"type": "repayment", "end_date": "2030-01-01"}, "repayment_plan_type": "standard",
        "pslf_status": {"payments_made": 3}, "servicer_address": {"street": "2 Loan Way", "city": "Austin"}}
    },
    {
      "type": "investment", "subtype": "brokerage",
      "holdings": [{"institution_price": 10, "quantity": 3, "currency": "USD", "security": {"ticker_symbol": "ABC", "currency": "USD"}}],
      "investment_transactions": {"date": "2024-01-05", "name": "BUY ABC", "quantity": 3, "price": 10, "type": "buy", "currency": "USD",
        "security": {"ticker_symbol": "ABC", "currency": "USD"}}
    },
    {"type": "depository", "subtype": "savings", "has_null_available_balance": true,
      "numbers": {"eft_institution": "021", "eft_branch": "01140", "international_iban": "GB33BUKB20201555555555", "international_bic": "BUKBGB22", "bacs_sort_code": "202015"}}
  ],
  "mfa": {"type": "questions", "question_rounds": 2, "questions_per_round": 1},
  "force_error": "",
  "recaptcha": "good",
  "some_field_plaid_adds_later": true
}`

func TestParseGood(t *testing.T) {
	c, err := customuser.Parse(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Accounts) != 5 || c.MFA == nil || c.MFA.QuestionRounds != 2 || c.Seed != "my-seed" {
		t.Fatalf("config %+v", c)
	}
	a := c.Accounts[0]
	if a.Meta.Name != "Everyday" || a.Meta.Mask != "4321" || *a.StartingBalance != 1250.5 || len(a.Transactions) != 2 ||
		a.Transactions[1].Amount != -500 || a.Numbers.ACHRouting != "011401533" || a.Seed != "my-seed/0" {
		t.Errorf("account 0 %+v", a)
	}
	// Every account's owner has the names the first one configured.
	if c.Accounts[4].Identity == nil || c.Accounts[4].Identity.Names[0] != "Jane Doe" {
		t.Errorf("account 4 identity %+v", c.Accounts[4].Identity)
	}
	credit := c.Accounts[1]
	if credit.Subtype != "credit card" || credit.Meta.Name != "Plaid Credit card" || credit.Meta.Mask != "1111" ||
		credit.Transactions == nil || len(credit.Transactions) != 0 || credit.Liability.PurchaseAPR == nil {
		t.Errorf("account 1 %+v", credit)
	}
	if c.Accounts[2].Transactions != nil {
		t.Errorf("account 2 without transactions has %v, want nil (drawn)", c.Accounts[2].Transactions)
	}
	if len(c.Accounts[3].InvestmentTransactions) != 1 || c.Accounts[3].Holdings[0].Security.Key() != "ticker:ABC" {
		t.Errorf("account 3 %+v", c.Accounts[3])
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := customuser.Parse(`{}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Accounts) != 1 || c.Accounts[0].Type != "depository" || c.Accounts[0].Subtype != "checking" ||
		c.Accounts[0].Meta.Name != "Plaid Checking" || c.Accounts[0].Meta.Mask != "0000" || c.Accounts[0].Seed != "" {
		t.Errorf("empty configuration %+v", c)
	}
	c, err = customuser.Parse(`{"override_accounts": [{"type": "depository", "numbers": {"account": "123456789"}}, {"type": "loan", "meta": {"mask": ""}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if c.Accounts[0].Meta.Mask != "6789" || c.Accounts[1].Meta.Mask != "" || c.Accounts[1].Subtype != "student" {
		t.Errorf("masks %+v", c.Accounts)
	}
}

func TestParseMalformed(t *testing.T) {
	account := func(fields string) string { return `{"override_accounts": [{"type": "depository", ` + fields + `}]}` }
	tooMany := `{"override_accounts": [` + strings.TrimSuffix(strings.Repeat(`{"type": "depository"},`, 11), ",") + `]}`
	huge := account(`"meta": {"name": "` + strings.Repeat("x", customuser.MaxBytes) + `"}`)
	tests := []struct {
		name, config string
		// want is the error's path and the start of its problem.
		want string
	}{
		{"not JSON", `pass_good`, "is not JSON"},
		{"truncated JSON", `{"override_accounts": [`, "is not JSON"},
		{"not an object", `[1, 2]`, "must be a JSON object, not an array"},
		{"too large", huge, fmt.Sprintf("is %d bytes long, more than the %d", len(huge), customuser.MaxBytes)},
		{"too many accounts", tooMany, "override_accounts has 11 accounts, more than the 10"},
		{"accounts not an array", `{"override_accounts": {"type": "depository"}}`, "override_accounts must be an array, not an object"},
		{"account not an object", `{"override_accounts": ["depository"]}`, "override_accounts[0] must be an object, not a string"},
		{"no type", `{"override_accounts": [{"subtype": "checking"}]}`, "override_accounts[0].type is missing"},
		{"unknown type", `{"override_accounts": [{"type": "savings"}]}`, `override_accounts[0].type must be one of "investment", "credit"`},
		{"type not a string", `{"override_accounts": [{"type": 3}]}`, "override_accounts[0].type must be a string, not a number"},
		{"unknown subtype", account(`"subtype": "chequing"`), `override_accounts[0].subtype must be one of`},
		{"balance a string", account(`"starting_balance": "100"`), "override_accounts[0].starting_balance must be a number, not a string"},
		{"forced and null available", account(`"force_available_balance": 1, "has_null_available_balance": true`), "override_accounts[0].force_available_balance cannot be set together"},
		{"null available not a bool", account(`"has_null_available_balance": "yes"`), "override_accounts[0].has_null_available_balance must be true or false"},
		{"bad currency", account(`"currency": "dollars"`), "override_accounts[0].currency must be an ISO 4217 currency code"},
		{"bad mask", account(`"meta": {"mask": "12345"}`), `override_accounts[0].meta.mask must be empty or 2 to 4 letters and digits, not "12345"`},
		{"blank name", account(`"meta": {"name": " "}`), "override_accounts[0].meta.name must not be blank"},
		{"bad routing", account(`"numbers": {"ach_routing": "011401534"}`), "override_accounts[0].numbers.ach_routing is not a valid routing number"},
		{"short routing", account(`"numbers": {"ach_routing": "1234"}`), "override_accounts[0].numbers.ach_routing must be a 9-digit ACH routing number"},
		{"eft without branch", account(`"numbers": {"eft_institution": "021"}`), "override_accounts[0].numbers.eft_branch is missing: it must be given alongside eft_institution"},
		{"bic without iban", account(`"numbers": {"international_bic": "BUKBGB22"}`), "override_accounts[0].numbers.international_iban is missing"},
		{"bad iban", account(`"numbers": {"international_iban": "GB34BUKB20201555555555", "international_bic": "BUKBGB22"}`), "override_accounts[0].numbers.international_iban is not a valid IBAN"},
		{"transactions not an array", account(`"transactions": 5`), "override_accounts[0].transactions must be an array, not a number"},
		{"transaction without amount", account(`"transactions": [{"date_transacted": "2024-01-01", "date_posted": "2024-01-01", "description": "x"}]`), "override_accounts[0].transactions[0].amount is missing"},
		{"transaction bad date", account(`"transactions": [{"date_transacted": "01/02/2024", "date_posted": "2024-01-01", "amount": 1, "description": "x"}]`), `override_accounts[0].transactions[0].date_transacted must be a date in the form YYYY-MM-DD, not "01/02/2024"`},
		{"holdings on a depository account", account(`"holdings": []`), "override_accounts[0].holdings are only for investment accounts"},
		{"holding without security id", `{"override_accounts": [{"type": "investment", "holdings": [{"institution_price": 1, "quantity": 1, "currency": "USD", "security": {"currency": "USD"}}]}]}`, "override_accounts[0].holdings[0].security.ticker_symbol is missing"},
		{"sell with a positive quantity", `{"override_accounts": [{"type": "investment", "investment_transactions": [{"date": "2024-01-01", "name": "SELL", "quantity": 2, "price": 1, "type": "sell", "currency": "USD"}]}]}`, "override_accounts[0].investment_transactions[0].quantity must be negative for a sell"},
		{"unknown investment type", `{"override_accounts": [{"type": "investment", "investment_transactions": [{"date": "2024-01-01", "name": "X", "quantity": 2, "price": 1, "type": "gift", "currency": "USD"}]}]}`, "override_accounts[0].investment_transactions[0].type must be one of"},
		{"identity names not strings", account(`"identity": {"names": [1]}`), "override_accounts[0].identity.names[0] must be a string, not a number"},
		{"phone type", account(`"identity": {"phone_numbers": [{"data": "1", "primary": true, "type": "pager"}]}`), "override_accounts[0].identity.phone_numbers[0].type must be one of"},
		{"credit liability on a depository account", account(`"liability": {"type": "credit"}`), `override_accounts[0].liability.type "credit" is not a liability of a depository account`},
		{"mortgage liability", `{"override_accounts": [{"type": "loan", "liability": {"type": "mortgage"}}]}`, `override_accounts[0].liability.type must be one of "credit", "student"`},
		{"student field on credit", `{"override_accounts": [{"type": "credit", "liability": {"type": "credit", "principal": 1}}]}`, "override_accounts[0].liability.principal can only be set for a student liability"},
		{"income without amount", account(`"inflow_model": {"type": "monthly-income", "payment_day_of_month": 1, "transaction_name": "Pay"}`), "override_accounts[0].inflow_model.income_amount is missing"},
		{"payment day 31", account(`"inflow_model": {"type": "monthly-income", "income_amount": 1, "payment_day_of_month": 31, "transaction_name": "Pay"}`), "override_accounts[0].inflow_model.payment_day_of_month must be a day of the month"},
		{"balance payment on a depository account", account(`"inflow_model": {"type": "monthly-balance-payment", "payment_day_of_month": 1, "statement_day_of_month": "last", "transaction_name": "Pay"}`), "override_accounts[0].inflow_model.type \"monthly-balance-payment\" is only for credit and loan accounts"},
		{"mfa not an object", `{"mfa": "device"}`, "mfa must be an object, not a string"},
		{"mfa type", `{"mfa": {"type": "sms"}}`, `mfa.type must be one of "device", "questions", "selections"`},
		{"questions without rounds", `{"mfa": {"type": "questions", "questions_per_round": 1}}`, "mfa.question_rounds is missing"},
		{"questions zero rounds", `{"mfa": {"type": "questions", "question_rounds": 0, "questions_per_round": 1}}`, "mfa.question_rounds must be a whole number from 1 to 9"},
		{"one selection", `{"mfa": {"type": "selections", "selections_per_question": 1}}`, "mfa.selections_per_question must be a whole number from 2 to 9"},
		{"unknown force_error", `{"force_error": "ITEM_ON_FIRE"}`, `force_error must be one of "INSTITUTION_NOT_RESPONDING"`},
		{"recaptcha", `{"recaptcha": "maybe"}`, `recaptcha must be one of "good", "bad"`},
		{"version", `{"version": "3"}`, `version must be one of "1", "2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := customuser.Parse(tt.config)
			if err == nil {
				t.Fatalf("Parse accepted %s", tt.config)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse error %q, want it to start %q", err, tt.want)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	ten := `{"override_accounts": [` + strings.TrimSuffix(strings.Repeat(`{"type": "depository"},`, customuser.MaxAccounts), ",") + `]}`
	if c, err := customuser.Parse(ten); err != nil || len(c.Accounts) != 10 {
		t.Errorf("ten accounts: %v", err)
	}
	pad := func(n int) string {
		prefix, suffix := `{"seed": "`, `"}`
		return prefix + strings.Repeat("s", n-len(prefix)-len(suffix)) + suffix
	}
	if _, err := customuser.Parse(pad(customuser.MaxBytes)); err != nil {
		t.Errorf("a configuration of exactly %d bytes: %v", customuser.MaxBytes, err)
	}
	if _, err := customuser.Parse(pad(customuser.MaxBytes + 1)); err == nil {
		t.Errorf("a configuration of %d bytes was accepted", customuser.MaxBytes+1)
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name     string
		password string
		answers  [][]string
		// want is the next challenge ("questions 2"), the error code, or
		// "ok".
		want string
	}{
		{"no mfa", `{}`, nil, "ok"},
		{"malformed", `{"override_accounts": 1}`, nil, "INVALID_CREDENTIALS"},
		{"answers without mfa", `{}`, [][]string{{"1234"}}, "INVALID_MFA"},
		{"device: choose", `{"mfa": {"type": "device"}}`, nil, "device 1"},
		{"device: code", `{"mfa": {"type": "device"}}`, [][]string{{sandbox.MFADevices[0]}}, "code 2"},
		{"device: right code", `{"mfa": {"type": "device"}}`, [][]string{{sandbox.MFADevices[0]}, {"1234"}}, "ok"},
		{"device: wrong code", `{"mfa": {"type": "device"}}`, [][]string{{sandbox.MFADevices[0]}, {"4321"}}, "INVALID_MFA"},
		{"questions: second round", `{"mfa": {"type": "questions", "question_rounds": 2, "questions_per_round": 2}}`, [][]string{{"answer_0_0", "answer_0_1"}}, "questions 2"},
		{"questions: done", `{"mfa": {"type": "questions", "question_rounds": 2, "questions_per_round": 1}}`, [][]string{{"answer_0_0"}, {"answer_1_0"}}, "ok"},
		{"questions: wrong", `{"mfa": {"type": "questions", "question_rounds": 1, "questions_per_round": 1}}`, [][]string{{"answer_1_1"}}, "INVALID_MFA"},
		{"selections: first round", `{"mfa": {"type": "selections"}}`, nil, "selections 1"},
		{"selections: first options", `{"mfa": {"type": "selections"}}`, [][]string{{"answer_1_1_0", "answer_1_2_0"}}, "ok"},
		{"selections: second option", `{"mfa": {"type": "selections"}}`, [][]string{{"answer_1_1_1", "answer_1_2_0"}}, "INVALID_MFA"},
		{"force error", `{"force_error": "ITEM_LOCKED"}`, nil, "ITEM_LOCKED"},
		{"force error after mfa", `{"force_error": "INVALID_MFA", "mfa": {"type": "device"}}`, nil, "device 1"},
		{"force error once mfa is answered", `{"force_error": "USER_SETUP_REQUIRED", "mfa": {"type": "device"}}`, [][]string{{sandbox.MFADevices[1]}, {"1234"}}, "USER_SETUP_REQUIRED"},
		{"plaid error", `{"force_error": "PLAID_ERROR"}`, nil, "INTERNAL_SERVER_ERROR"},
		{"recaptcha bad", `{"recaptcha": "bad", "mfa": {"type": "device"}}`, nil, "RECAPTCHA_BAD"},
		{"recaptcha good", `{"recaptcha": "good"}`, nil, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, cfg, e := customuser.Login(tt.password, tt.answers)
			var got string
			switch {
			case e != nil:
				got = e.ErrorCode
			case c != nil:
				got = fmt.Sprintf("%s %d", c.Type, c.Round)
			default:
				got = "ok"
				if len(cfg.Accounts) == 0 {
					t.Error("a successful login has no accounts")
				}
			}
			if got != tt.want {
				t.Fatalf("Login = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestForceErrorsAreRaised(t *testing.T) {
	for _, code := range customuser.ForceErrors {
		e := customuser.ForcedError(code)
		if e == nil || e.ErrorType == "" || e.ErrorMessage == "" {
			t.Errorf("%s: %+v", code, e)
		}
	}
}

func TestMalformedMessage(t *testing.T) {
	_, _, e := customuser.Login(`{"override_accounts": [{"type": "savings"}]}`, nil)
	if e == nil || e.ErrorType != "ITEM_ERROR" || !strings.Contains(e.ErrorMessage, "override_accounts[0].type must be one of") ||
		e.DisplayMessage == nil || *e.DisplayMessage == "" {
		t.Errorf("error %+v", e)
	}
}

// TestParseZeroFields reads an account as Plaid's generated client
// libraries send it: every field their models require, the unset ones
// zero. The zero liability, inflow model and MFA count as left out.
func TestParseZeroFields(t *testing.T) {
	const fromClient = `{"seed": "", "recaptcha": "", "force_error": "",
	  "mfa": {"type": "", "question_rounds": 0, "questions_per_round": 0, "selection_rounds": 0, "selections_per_question": 0},
	  "override_accounts": [{"currency":"USD","force_available_balance":90,"identity":{"addresses":null,"emails":null,"names":null,"phone_numbers":null},
	  "inflow_model":{"income_amount":0,"payment_day_of_month":0,"statement_day_of_month":"","transaction_name":"","type":""},
	  "liability":{"balance_transfer_apr":0,"cash_apr":0,"expected_payoff_date":"","guarantor":"","interest_capitalization_grace_period_months":0,
	    "is_federal":false,"is_overdue":false,"last_payment_amount":0,"loan_name":"","loan_status":{"end_date":null,"type":null},
	    "minimum_payment_amount":0,"nominal_apr":0,"origination_date":"","payment_reference_number":"","principal":0,
	    "pslf_status":{"estimated_eligibility_date":null,"payments_made":null,"payments_remaining":null},"purchase_apr":0,
	    "repayment_model":{"non_repayment_months":0,"repayment_months":0,"type":""},"repayment_plan_description":"","repayment_plan_type":"",
	    "sequence_number":"","servicer_address":{"data":{"city":null,"country":null,"postal_code":null,"region":null,"street":""}},"special_apr":0,"type":""},
	  "meta":{"limit":0,"mask":"1234","name":"Name","official_name":"Official"},"numbers":{},"starting_balance":100,"subtype":"checking",
	  "transactions":[],"type":"depository"},
	  {"type": "credit", "liability": {"type": "credit", "purchase_apr": 15, "principal": 0, "loan_name": "", "servicer_address": {"data": {"street": ""}}}}]}`
	c, err := customuser.Parse(fromClient)
	if err != nil {
		t.Fatal(err)
	}
	a := c.Accounts[0]
	if c.MFA != nil || a.Liability != nil || a.InflowModel != nil || *a.ForceAvailableBalance != 90 || a.Identity == nil || a.Identity.Names != nil {
		t.Errorf("config %+v, account %+v", c, a)
	}
	if l := c.Accounts[1].Liability; l == nil || *l.PurchaseAPR != 15 {
		t.Errorf("credit liability %+v: the student loan's zero fields must not count", l)
	}
}
