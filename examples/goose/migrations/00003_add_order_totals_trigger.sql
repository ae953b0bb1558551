-- +goose Up
-- StatementBegin/StatementEnd keep goose from splitting the function body on
-- its inner semicolons.
-- +goose StatementBegin
CREATE FUNCTION order_items_refresh_total() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    target_order bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        target_order := OLD.order_id;
    ELSE
        target_order := NEW.order_id;
    END IF;

    UPDATE orders
       SET total_cents = (SELECT coalesce(sum(quantity * unit_cents), 0)
                            FROM order_items
                           WHERE order_id = target_order),
           updated_at  = now()
     WHERE id = target_order;

    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER order_items_refresh_total
    AFTER INSERT OR UPDATE OR DELETE ON order_items
    FOR EACH ROW EXECUTE FUNCTION order_items_refresh_total();

-- +goose Down
DROP TRIGGER IF EXISTS order_items_refresh_total ON order_items;
DROP FUNCTION IF EXISTS order_items_refresh_total();
