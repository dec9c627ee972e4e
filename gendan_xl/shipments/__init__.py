"""出运 Shipments (pure): the Shipments, Shipment Lines and Containers tables read and checked, each
shipment's follow-up (state and why), and a sailed shipment closing its order lines."""
