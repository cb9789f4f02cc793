b/saved_model.pb
