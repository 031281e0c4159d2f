package dev.respite.server.acl;

/** An ACL rule (a SETUSER argument or a user line) that is not valid; the message is Redis's reason. */
public final class AclRuleException extends Exception {
    public AclRuleException(String reason) {
        super(reason, null, false, false);
    }

    static AclRuleException syntax() {
        return new AclRuleException("Syntax error");
    }

    static AclRuleException unknownCommand() {
        return new AclRuleException("Unknown command or category name in ACL");
    }
}
